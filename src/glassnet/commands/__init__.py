"""The sub-commands of the ``glassnet`` command line, one module each.

Each module has ``register(subparsers)``, which adds its parser (with ``--help`` examples)
and sets ``run(args) -> exit code`` as the parser's default; ``glassnet.cli.main`` parses
and calls it. ``common`` holds what they share (argument types, model files with their
class labels, CSV tables).

Example:
    >>> [name for name, _ in COMMANDS][:3]
    ['demo', 'train', 'evaluate']
"""

from glassnet.commands import bench, demo, evaluate, explain, export, plot, train, tune

#: (name, module) in the order ``glassnet --help`` lists them; evaluate registers predict
COMMANDS = [
    ("demo", demo),
    ("train", train),
    ("evaluate", evaluate),
    ("explain", explain),
    ("plot", plot),
    ("export", export),
    ("tune", tune),
    ("bench", bench),
]
