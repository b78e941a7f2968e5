// The Reserves layer; see Package.swift for what it holds.
