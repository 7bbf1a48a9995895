<?php
// Oracle for tests/test_naming_laravel.py: Laravel 8.83's own naming functions over a JSON list.
// stdin: {"names": [...], "pairs": [[modelA, modelB], ...]}; stdout: one JSON object (see below).
declare(strict_types=1);
require_once 'Illuminate/autoload.php';

use Illuminate\Support\Pluralizer;
use Illuminate\Support\Str;

$in = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);

// Names that can be declared as a model class, to ask Eloquent itself (getTable, getForeignKey,
// joiningTable) rather than re-stating its formula. Reserved words would be a fatal error.
const RESERVED = ['abstract', 'and', 'array', 'as', 'bool', 'break', 'callable', 'case', 'catch',
    'class', 'clone', 'const', 'continue', 'declare', 'default', 'do', 'echo', 'else', 'elseif',
    'empty', 'enddeclare', 'endfor', 'endforeach', 'endif', 'endswitch', 'endwhile', 'enum',
    'eval', 'exit', 'extends', 'false', 'final', 'finally', 'float', 'fn', 'for', 'foreach',
    'function', 'global', 'goto', 'if', 'implements', 'include', 'instanceof', 'insteadof', 'int',
    'interface', 'isset', 'iterable', 'list', 'match', 'mixed', 'namespace', 'never', 'new', 'null',
    'object', 'or', 'parent', 'print', 'private', 'protected', 'public', 'readonly', 'require',
    'return', 'self', 'static', 'string', 'switch', 'throw', 'trait', 'true', 'try', 'unset', 'use',
    'var', 'void', 'while', 'xor', 'yield', 'die', 'void', 'resource', 'numeric'];

function model_class(string $name): ?string
{
    // One namespace per name: PHP class names are case-insensitive, 'User' and 'USER' are not.
    static $declared = [];
    if (!preg_match('/^[A-Za-z][A-Za-z0-9]*$/', $name) || in_array(strtolower($name), RESERVED, true)) {
        return null;
    }
    if (!isset($declared[$name])) {
        $ns = 'NamingProbe\\N' . count($declared);
        eval("namespace $ns; class $name extends \\Illuminate\\Database\\Eloquent\\Model {}");
        $declared[$name] = $ns . '\\' . $name;
    }
    return $declared[$name];
}

$inflector = Pluralizer::inflector();
$out = ['names' => [], 'pairs' => []];
foreach ($in['names'] as $n) {
    $cls = model_class($n);
    $out['names'][$n] = [
        'pluralize' => $inflector->pluralize($n),
        'singularize' => $inflector->singularize($n),
        'plural' => Str::plural($n),
        'plural_count1' => Str::plural($n, 1),
        'plural_count0' => Str::plural($n, 0),
        'singular' => Str::singular($n),
        'studly' => Str::studly($n),
        'snake' => Str::snake($n),
        'kebab' => Str::kebab($n),
        'camel' => Str::camel($n),
        'plural_studly' => Str::pluralStudly($n),
        'model_name' => Str::studly(Str::singular($n)),
        // Eloquent's own answer where $n can be a class name; its formula otherwise.
        'table_name' => $cls ? (new $cls())->getTable() : Str::snake(Str::pluralStudly(class_basename($n))),
        'foreign_key' => $cls ? (new $cls())->getForeignKey() : Str::snake(class_basename($n)) . '_id',
        'eloquent' => $cls !== null,
    ];
}
foreach ($in['pairs'] as [$a, $b]) {
    [$ca, $cb] = [model_class($a), model_class($b)];
    // null: one of the two cannot be a PHP class name (a keyword such as 'echo').
    $out['pairs'][] = $ca && $cb ? (new $ca())->joiningTable($cb) : null;
}
echo json_encode($out, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
