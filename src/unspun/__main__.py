"""Run the command line with ``python -m unspun``."""

from unspun.cli import main

if __name__ == "__main__":
    main()
