<?php

// Lint many PHP files in one process: parse each (token_get_all with TOKEN_PARSE) and
// compile it without running it (opcache_compile_file), which also catches compile
// errors such as a duplicate method. A compile error is fatal and names its file.
// Usage: php -d opcache.enable_cli=1 lint.php FILELIST   (one path per line)

declare(strict_types=1);

$bad = 0;
foreach (file($argv[1], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $f) {
    try {
        token_get_all(file_get_contents($f), TOKEN_PARSE);
    } catch (ParseError $e) {
        echo "$f:{$e->getLine()}: {$e->getMessage()}\n";
        $bad++;
        continue;
    }
    if (!opcache_compile_file($f)) {
        echo "$f: does not compile\n";
        $bad++;
    }
}
echo "linted " . count(file($argv[1], FILE_SKIP_EMPTY_LINES)) . " files, $bad bad\n";
exit($bad ? 1 : 0);
