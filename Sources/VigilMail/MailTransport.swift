enum VigilMailPlaceholder {}
