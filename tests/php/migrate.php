<?php

/**
 * Run generated Laravel migrations on Laravel 8 (Debian's php-laravel-framework), no Composer.
 *
 * Usage: php migrate.php DIR up|updown sqlite PATH
 *        php migrate.php DIR up|updown mysql HOST PORT DATABASE
 * Requires every DIR/*.php in file-name order and calls up(); with "updown" it
 * then calls down() in reverse order and prints the tables left as JSON
 * ({"left": [...]}).  Any exception: message on stderr, exit 1.
 */

declare(strict_types=1);

require_once 'Illuminate/autoload.php';

use Illuminate\Container\Container;
use Illuminate\Database\Capsule\Manager as Capsule;
use Illuminate\Events\Dispatcher;
use Illuminate\Support\Facades\Facade;

function boot(array $config): Capsule
{
    $c = new Container();
    Container::setInstance($c);
    $capsule = new Capsule($c);
    $capsule->addConnection($config);
    $capsule->setEventDispatcher(new Dispatcher($c));
    $capsule->setAsGlobal();
    $c->instance('db', $capsule->getDatabaseManager());
    $c->bind('db.schema', fn ($c) => $c['db']->connection()->getSchemaBuilder());
    Facade::setFacadeApplication($c);
    return $capsule;
}

/** A migration object from a file: an anonymous class, or the class the file declares. */
function load_migration(string $file): object
{
    $before = get_declared_classes();
    $m = require $file;
    if (is_object($m)) {
        return $m;
    }
    $new = array_values(array_filter(
        array_diff(get_declared_classes(), $before),
        fn ($c) => (new ReflectionClass($c))->getFileName() === realpath($file)
    ));
    if (count($new) !== 1) {
        throw new RuntimeException("$file declares " . count($new) . ' classes');
    }
    return new $new[0]();
}

function tables_left(Capsule $db, string $driver): array
{
    if ($driver === 'sqlite') {
        $rows = $db->getConnection()->select(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
        );
        return array_map(fn ($r) => $r->name, $rows);
    }
    return array_map(fn ($r) => array_values((array) $r)[0], $db->getConnection()->select('show tables'));
}

[$_, $dir, $mode, $driver] = array_slice($argv, 0, 4);
if ($driver === 'sqlite') {
    $path = $argv[4];
    @unlink($path);
    touch($path);
    $config = ['driver' => 'sqlite', 'database' => $path, 'prefix' => '', 'foreign_key_constraints' => true];
} else {
    $config = ['driver' => 'mysql', 'host' => $argv[4], 'port' => (int) $argv[5], 'database' => $argv[6],
        'username' => 'root', 'password' => '', 'charset' => 'utf8mb4', 'collation' => 'utf8mb4_unicode_ci',
        'prefix' => ''];
}
$db = boot($config);
if ($driver === 'sqlite') {
    // A throwaway file: skip the fsyncs that make each DDL statement slow.
    $db->getConnection()->statement('PRAGMA synchronous = OFF');
    $db->getConnection()->statement('PRAGMA journal_mode = MEMORY');
}
$files = glob(rtrim($dir, '/') . '/*.php');
sort($files, SORT_STRING);
$done = [];
try {
    foreach ($files as $file) {
        $m = load_migration($file);
        $m->up();
        $done[] = [$file, $m];
    }
    $left = null;
    if ($mode === 'updown') {
        foreach (array_reverse($done) as [$file, $m]) {
            $m->down();
        }
        $left = tables_left($db, $driver);
    }
} catch (Throwable $e) {
    fwrite(STDERR, basename($file) . ': ' . get_class($e) . ': ' . $e->getMessage() . "\n");
    exit(1);
}
echo json_encode(['migrated' => count($done), 'left' => $left]), "\n";
