<?php

// Run generated factories on Laravel 8 (Debian php-laravel-framework + php-faker) against a
// SQLite file with foreign keys ON, and check every created row against the IR's facts.
// Spec (JSON, written by tests/test_factories_php.py): db, files, models (in FK order), each
// {fqcn, table, overrides, fixups, checks}. Prints {"created": n, "failures": [...]}.

declare(strict_types=1);

require __DIR__ . '/factory_boot.php';

use Illuminate\Database\Capsule\Manager as DB;

$spec = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
boot_factories($spec['db'], $spec['files']);
$byClass = [];
foreach ($spec['models'] as $m) {
    $byClass[$m['fqcn']] = $m;
}

$created = 0;
$failures = [];

foreach ($spec['models'] as $m) {
    try {
        $rows = make_rows($m, $byClass);
    } catch (Throwable $e) {
        $failures[] = "{$m['fqcn']}: " . get_class($e) . ': ' . $e->getMessage();
        continue;
    }
    foreach ($rows as $row) {
        $created++;
        $stored = $row->getKey() !== null && count($m['key']) === 1
            ? (array) DB::table($m['table'])->where($m['key'][0], $row->getKey())->first()
            : $row->getAttributes();
        foreach ($m['checks'] as $check) {
            $why = check_value($stored[$check['column']] ?? null, $check);
            if ($why !== null) {
                $failures[] = "{$m['fqcn']}.{$check['column']}: $why";
            }
        }
    }
}

function check_value($value, array $check): ?string
{
    if ($value === null) {
        return $check['kind'] === 'required' ? 'is null' : null;
    }
    $args = $check['args'];
    switch ($check['kind']) {
        case 'max_length':
            return mb_strlen((string) $value) > (int) $args[0]
                ? 'length ' . mb_strlen((string) $value) . " > {$args[0]}" : null;
        case 'in':
            return in_array((string) $value, $args, true) ? null : "'$value' not in the allowed values";
        case 'min':
            return (float) $value < (float) $args[0] ? "$value < {$args[0]}" : null;
        case 'max':
            return (float) $value > (float) $args[0] ? "$value > {$args[0]}" : null;
        case 'exists':
            return DB::table($args[0])->where($args[1], $value)->exists() ? null
                : "$value not found in {$args[0]}.{$args[1]}";
    }
    return null;
}

echo json_encode(['created' => $created, 'failures' => $failures]), "\n";
