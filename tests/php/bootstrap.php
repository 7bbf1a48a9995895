<?php

// Boot Laravel 8's Eloquent (Debian php-laravel-framework) on a SQLite file, no Composer.
// TOOLCHAIN.md section 1. Foreign keys are not enforced: the harness inserts rows in
// table order and checks the models, not the DDL.

declare(strict_types=1);

require_once 'Illuminate/autoload.php';

use Illuminate\Container\Container;
use Illuminate\Database\Capsule\Manager as Capsule;
use Illuminate\Events\Dispatcher;
use Illuminate\Support\Facades\Facade;

function boot_eloquent(string $path): Capsule
{
    $c = new Container();
    Container::setInstance($c);
    $capsule = new Capsule($c);
    $capsule->addConnection(['driver' => 'sqlite', 'database' => $path, 'prefix' => '',
                             'foreign_key_constraints' => false]);
    $capsule->setEventDispatcher(new Dispatcher($c));
    $capsule->setAsGlobal();
    $capsule->bootEloquent();
    $c->instance('db', $capsule->getDatabaseManager());
    Facade::setFacadeApplication($c);
    return $capsule;
}
