"""The framework-free core of the indicators app: catalogue rules and template, periods, vintages."""
