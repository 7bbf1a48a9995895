"""The ``form-requests`` target: Laravel form requests with validation rules from the IR.

Per model table, create-once ``app/Http/Requests/Store<Model>Request.php`` and
``Update<Model>Request.php``; with ``model_rules``, also a regenerated
``app/Http/Requests/Rules/<Model>Rules.php`` whose static ``rules($ignore)``
serves validation outside a request (jobs, imports, Livewire).  The rules
themselves are described in ``view.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from backends import OutputFile, Ownership
from backends._laravel import DEFAULT_VERSION, LaravelBackend, render
from backends.form_requests.view import iter_requests
from ir.model import Schema

DEFAULTS: dict[str, Any] = {
    "laravel_version": DEFAULT_VERSION,
    "models_namespace": "App\\Models",
    "requests_namespace": "App\\Http\\Requests",
    "requests_path": "app/Http/Requests",
    "model_rules": False,
}


class FormRequestsBackend(LaravelBackend):
    name = "form-requests"
    defaults = DEFAULTS
    package_dir = Path(__file__).parent


    def emit_tables(self, schema: Schema, options: Mapping[str, Any],
                    tables: Sequence[str]) -> list[OutputFile]:
        """The requests, then the rules classes, of ``tables`` (no model: none)."""
        opts = self.options(options)
        request_t, rules_t, body_t = (self._env.get_template(n) for n in (
            "request.php.j2", "rules.php.j2", "_rules.php.j2"))
        out, rules_out = [], []
        for store, update, rules in iter_requests(schema, opts, tables):
            out += [OutputFile(r.path, render(request_t, r=r,
                                              rules_body=render(body_t, fields=r.fields)),
                               Ownership.CREATE_ONCE, (r.table,),
                               exists_glob=r.path, target=self.name) for r in (store, update)]
            if rules is not None:
                text = render(rules_t, r=rules, rules_body=render(body_t, fields=rules.fields))
                rules_out.append(OutputFile(rules.path, text,
                                            Ownership.REGENERATED, (rules.table,),
                                            target=self.name))
        return out + rules_out


backend = FormRequestsBackend()
