"""xl_awards: the Hunan SME public service platform network's annual excellence awards, in Excel."""

__version__ = "0.1.0"
