import Field

/// A gate with no constraints (padding rows).
struct NoopGate: Gate {
    var numConstraints: Int { 0 }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] { [] }
}

/// Wires 0…3 hold the public-inputs hash.
struct PublicInputGate: Gate {
    var numConstraints: Int { 4 }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        (0..<4).map { vars.localWires[$0] - ext(vars.publicInputsHash.elements[$0]) }
    }
}

/// Wire i equals constant i.
struct ConstantGate: Gate {
    let numConsts: Int
    var numConstraints: Int { numConsts }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        (0..<numConsts).map { vars.constant($0) - vars.localWires[$0] }
    }
}
