<?php

// Load generated models on Laravel 8 and check them against a JSON spec written by
// tests/test_eloquent_php.py: relation classes, relation query results and cast types.
// Usage: php check_models.php SPEC.json ; prints {"checked": n, "failures": [...]}.

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';

use Illuminate\Database\Capsule\Manager as DB;

$spec = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
boot_eloquent($spec['db']);
DB::statement('PRAGMA ignore_check_constraints = ON');
foreach ($spec['files'] as $f) {
    require_once $f;
}
foreach ($spec['rows'] as $table => $rows) {
    foreach ($rows as $row) {
        DB::table($table)->insert($row);
    }
}

$checked = 0;
$failures = [];

function fail(array $case, string $why): void
{
    global $failures;
    $failures[] = ($case['model'] ?? '') . '::' . ($case['method'] ?? $case['attribute'] ?? '') . ": $why";
}

function keys_of($result): array
{
    $items = $result instanceof Illuminate\Support\Collection ? $result->all() : [$result];
    $keys = array_map(fn ($m) => (string) $m->getKey(), array_filter($items, fn ($m) => $m !== null));
    sort($keys);
    return $keys;
}

foreach ($spec['relations'] as $case) {
    try {
        $checked++;
        $cls = $case['model'];
        $model = $case['key'] === null ? new $cls() : $cls::findOrFail($case['key']);
        $rel = $model->{$case['method']}();
        if (get_class($rel) !== $case['class']) {
            fail($case, 'returns ' . get_class($rel) . ', expected ' . $case['class']);
            continue;
        }
        if ($case['related'] !== null && get_class($rel->getRelated()) !== $case['related']) {
            fail($case, 'related ' . get_class($rel->getRelated()) . ', expected ' . $case['related']);
        }
        if (array_key_exists('expect', $case)) {
            $got = keys_of($case['many'] ? $rel->get() : $rel->first());
            if ($got !== $case['expect']) {
                fail($case, 'query gave ' . json_encode($got) . ', expected ' . json_encode($case['expect']));
            }
            if (isset($case['instance']) && !($model->{$case['method']} instanceof $case['instance'])) {
                fail($case, 'property is not a ' . $case['instance']);
            }
        }
    } catch (Throwable $e) {
        fail($case, get_class($e) . ': ' . $e->getMessage());
    }
}

foreach ($spec['casts'] as $case) {
    try {
        $checked++;
        $value = $case['model']::findOrFail($case['key'])->{$case['attribute']};
        $type = is_object($value) ? get_class($value) : get_debug_type($value);
        $want = $case['type'];
        $ok = is_object($value) ? $value instanceof $want : $type === $want;
        if (!$ok) {
            fail($case, "is $type, expected $want");
        }
    } catch (Throwable $e) {
        fail($case, get_class($e) . ': ' . $e->getMessage());
    }
}

echo json_encode(['checked' => $checked, 'failures' => $failures], JSON_PRETTY_PRINT), "\n";
