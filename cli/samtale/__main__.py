"""`python -m samtale` runs the command line."""

from .cli import main

main()
