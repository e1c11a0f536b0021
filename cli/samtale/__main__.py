"""`python -m samtale` runs the command line."""

from .commands import main

main()
