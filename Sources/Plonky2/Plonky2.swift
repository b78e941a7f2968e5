// The Plonky2 layer; see Package.swift for what it holds.
