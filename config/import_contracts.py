"""An import-linter contract for anjian's app layers that needs no edit when a module is added (issue 6 item 7).

It is the built-in `layers` contract, except that a layer written `*` stands for every child package of the root
package that no other layer names: the domain modules (hazards, hazchem, monitoring, enforcement, ...), which
may call each other's services and selectors (non-independent siblings) but sit above the registry and below
risk, the dashboard and the platform. A new app is covered as soon as its package exists. Loaded by lint-imports
only (pyproject.toml, `contract_types`); nothing in the product imports it.
"""

from __future__ import annotations

from importlinter.contracts.layers import Layer, LayersContract, ModuleTail

WILDCARD = "*"


class AppLayersContract(LayersContract):
    type_name = "app_layers"

    def check(self, graph, verbose):
        root = self.session_options["root_packages"][0]
        named = {tail.name for layer in self.layers for tail in layer.module_tails if tail.name != WILDCARD}
        others = sorted(module for module in graph.find_children(root) if module not in named)
        layers = []
        for layer in self.layers:
            if any(tail.name == WILDCARD for tail in layer.module_tails):
                if others:
                    layers.append(Layer({ModuleTail(name) for name in others}, is_independent=False))
            else:
                layers.append(layer)
        self.layers = layers
        return super().check(graph, verbose)
