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

/** @return array<string, mixed> */
function fixup_values(array $model, array $byClass, ?array $made): array
{
    $values = [];
    foreach ($model['fixups'] as $fx) {
        if ($made !== null && $fx['parent'] === $made['fqcn']) {
            $values[$fx['column']] = $made['key'];
            continue;
        }
        // the key the parent row created next will get (its key is an incrementing integer)
        $values[$fx['column']] = (int) DB::table($fx['parent_table'])->max($fx['parent_key']) + 1;
    }
    return $values;
}

function make_rows(array $m, array $byClass): array
{
    $attrs = expand_overrides($m['overrides']);
    if (!$m['fixups']) {
        return $m['fqcn']::factory()->count(3)->create($attrs)->all();
    }
    // Required keys on a cycle (sakila store <-> staff): defer the checks to COMMIT, point the
    // rows at the parent row created right after them, and create that parent pointing back.
    DB::connection()->beginTransaction();
    DB::statement('PRAGMA defer_foreign_keys = ON');
    $rows = $m['fqcn']::factory()->count(3)->create($attrs + fixup_values($m, $byClass, null))->all();
    $made = ['fqcn' => $m['fqcn'], 'key' => $rows[0]->getKey()];
    foreach ($m['fixups'] as $fx) {
        $parent = $byClass[$fx['parent']];
        $parent['fqcn']::factory()->create(expand_overrides($parent['overrides'])
            + fixup_values($parent, $byClass, $made));
    }
    DB::connection()->commit();
    return $rows;
}
