"""Settings per environment: ``base`` holds what is shared, the others adjust it.

Every value that differs between machines is read from the environment.
"""
