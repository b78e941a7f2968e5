// The Liabilities layer: one file per OKX proof format.
