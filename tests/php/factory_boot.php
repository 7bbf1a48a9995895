<?php

// Boot Laravel 8 Eloquent with foreign keys ON, Faker bound as Laravel binds it, and the
// generated classes loaded: shared by the factories and form-requests harnesses.

declare(strict_types=1);

require_once __DIR__ . '/bootstrap.php';
require_once 'Faker/autoload.php';

use Illuminate\Container\Container;
use Illuminate\Database\Capsule\Manager as DB;
use Illuminate\Database\Eloquent\Factories\Factory;

function boot_factories(string $db, array $files): void
{
    boot_eloquent($db);
    // bootstrap.php leaves foreign keys off; factories must satisfy them.
    DB::statement('PRAGMA foreign_keys = ON');
    // a throwaway file: no fsync per autocommitted insert
    DB::statement('PRAGMA synchronous = OFF');
    DB::statement('PRAGMA journal_mode = MEMORY');
    // One generator for the whole run, as Laravel's DatabaseServiceProvider binds it, so
    // unique() is unique across every factory.
    Container::getInstance()->singleton(Faker\Generator::class, function () {
        $faker = Faker\Factory::create('en_US');
        $faker->seed(20240101);
        return $faker;
    });
    // A full app resolves App\Models\Post -> Database\Factories\PostFactory from its own
    // namespace; a bare Capsule has none, so say it here.
    Factory::guessFactoryNamesUsing(
        fn (string $model) => 'Database\\Factories\\' . class_basename($model) . 'Factory'
    );
    foreach ($files as $f) {
        require_once $f;
    }
}

/**
 * In a JSON spec, "@factory:App\Models\Post" stands for Post::factory(), and
 * {"existing": table, "column": c} for column c of the first row of table.
 */
function expand_overrides(array $overrides): array
{
    foreach ($overrides as $k => $v) {
        if (is_array($v)) {
            $overrides[$k] = DB::table($v['existing'])->orderBy($v['column'])->value($v['column']);
        } elseif (is_string($v) && strncmp($v, '@factory:', 9) === 0) {
            $class = substr($v, 9);
            $overrides[$k] = $class::factory();
        }
    }
    return $overrides;
}
