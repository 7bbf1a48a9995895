"""The ``form-requests`` target: Laravel form requests with validation rules from the IR.

Per model table, create-once ``app/Http/Requests/Store<Model>Request.php`` and
``Update<Model>Request.php``; with ``model_rules``, also a regenerated
``app/Http/Requests/Rules/<Model>Rules.php`` whose static ``rules($ignore)``
serves validation outside a request (jobs, imports, Livewire).  The rules
themselves are described in ``view.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backends import OutputFile, Ownership
from backends._laravel import DEFAULT_VERSION, LaravelBackend
from backends.form_requests.view import build_requests
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

    def emit(self, schema: Schema, options: Mapping[str, Any]) -> list[OutputFile]:
        opts = self.options(options)
        requests, rules = build_requests(schema, opts)
        request_t, rules_t = (self._env.get_template(n) for n in ("request.php.j2",
                                                                  "rules.php.j2"))
        out = [OutputFile(r.path, request_t.render(r=r), Ownership.CREATE_ONCE, (r.table,),
                          exists_glob=r.path, target=self.name) for r in requests]
        out += [OutputFile(r.path, rules_t.render(r=r), Ownership.REGENERATED, (r.table,),
                           target=self.name) for r in rules]
        return out


backend = FormRequestsBackend()
