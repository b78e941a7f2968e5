// The Verdict type, JSON input and the zk-STARK v2 format live in LiabilitiesCore (no Foundation,
// for the lean `porcheck` front); every user of Liabilities sees them as before.
@_exported import LiabilitiesCore
