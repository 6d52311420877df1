"""The ``netra`` command: ``main`` builds the Typer app, one module per command group.

The top of the stack: it may import any stage below (store, people, collect, flagging, claims,
cases, evidence, pipeline, demo) and nothing imports it. Commands parse arguments, call library
functions and print in Bahasa Indonesia; they never speak SQL themselves.
"""
