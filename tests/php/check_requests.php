<?php

// Run generated form-request rules through Laravel 8's Validator (TOOLCHAIN.md section 1).
// Rows come from the generated factories. Per model: a new row passes the store rules, a
// saved row passes the update rules of its own route (unique ignores it), and each broken
// field fails with the expected message key. Spec from tests/test_form_requests_php.py.
// Prints {"checked": n, "failures": [...]}.

declare(strict_types=1);

require __DIR__ . '/factory_boot.php';

use Illuminate\Container\Container;
use Illuminate\Translation\ArrayLoader;
use Illuminate\Translation\Translator;
use Illuminate\Validation\DatabasePresenceVerifier;
use Illuminate\Validation\Factory as ValidatorFactory;

$spec = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
boot_factories($spec['db'], $spec['files']);
$validator = new ValidatorFactory(new Translator(new ArrayLoader(), 'en'));
$validator->setPresenceVerifier(new DatabasePresenceVerifier(Container::getInstance()['db']));
$byClass = [];
foreach ($spec['models'] as $m) {
    $byClass[$m['fqcn']] = $m;
}
$checked = 0;
$failures = [];

/**
 * A request as the router would hand it over: $this->route($name) gives the bound model.
 * FormRequest::route() calls the route resolver and then ->parameter($name).
 */
function request_for(string $class, ?string $param, $bound)
{
    $request = new $class();
    $route = new class ($param, $bound) {
        public function __construct(private ?string $param, private $bound)
        {
        }

        public function parameter($name, $default = null)
        {
            // only the parameter Route::resource() names: a wrong name finds nothing
            return $name === $this->param ? $this->bound : $default;
        }
    };
    $request->setRouteResolver(fn () => $route);
    return $request;
}

/** The model's attributes as a client would send them: cast, hidden ones included. */
function payload($model, array $rules): array
{
    $attrs = $model->makeVisible($model->getHidden())->attributesToArray();
    return array_intersect_key($attrs, $rules);
}

function errors_of(ValidatorFactory $v, array $data, array $rules): array
{
    $val = $v->make($data, $rules);
    return $val->fails() ? $val->errors()->toArray() : [];
}

foreach ($spec['models'] as $m) {
    try {
        $rows = make_rows($m, $byClass);
        $store = request_for($m['store'], null, null)->rules();
        $new = $m['fqcn']::factory()->make(expand_overrides($m['make_overrides']));
        $valid = payload($new, $store);
        $checked++;
        if ($errors = errors_of($validator, $valid, $store)) {
            $failures[] = "{$m['fqcn']} store: valid row fails " . json_encode($errors);
        }
        $own = $rows[0]->fresh() ?? $rows[0];
        $update = request_for($m['update'], $m['route_param'], $own)->rules();
        $checked++;
        if ($errors = errors_of($validator, payload($own, $update), $update)) {
            $failures[] = "{$m['fqcn']} update: saved row fails its own update " . json_encode($errors);
        }
        foreach ($m['cases'] as $case) {
            $checked++;
            $data = $valid;
            $rules = $case['rules'] === 'update' ? $update : $store;
            $col = $case['column'];
            if ($case['op'] === 'unset') {
                unset($data[$col]);
            } elseif ($case['op'] === 'copy') {
                $data[$col] = $own->getAttributes()[$col];
            } else {
                $data[$col] = $case['value'];
            }
            $got = errors_of($validator, $data, $rules)[$col] ?? [];
            if ($case['expect'] === null ? $got !== [] : !in_array($case['expect'], $got, true)) {
                $failures[] = "{$m['fqcn']}.$col {$case['op']} " . json_encode($case['value'] ?? null)
                    . ': expected ' . json_encode($case['expect']) . ', got ' . json_encode($got);
            }
        }
    } catch (Throwable $e) {
        $failures[] = "{$m['fqcn']}: " . get_class($e) . ': ' . $e->getMessage();
    }
}

echo json_encode(['checked' => $checked, 'failures' => $failures]), "\n";
