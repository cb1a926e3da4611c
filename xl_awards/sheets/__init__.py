"""Written sheets as data: every cell's value or formula, with the value Python expects.
Pure core: may import base, edition, schema and scoring; the io writers turn these into files."""
