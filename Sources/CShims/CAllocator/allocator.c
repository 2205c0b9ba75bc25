// The header is the whole module (static inline); SwiftPM needs one source file.
