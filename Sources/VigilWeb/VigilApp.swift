enum VigilWebPlaceholder {}
