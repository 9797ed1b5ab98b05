"""Puts training/ on the import path, as the scripts there expect to be run from it."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
