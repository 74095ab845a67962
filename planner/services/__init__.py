"""Use cases over the store: one short transaction each, plain domain objects in and out."""
