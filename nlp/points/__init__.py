"""Which point of a framework a note belongs to: the `PointMapper` (`mapper`) and the training
documents built from the framework file and the shipped seed notes (`training`). Uses `nlp.language`
and `nlp.framework`."""
