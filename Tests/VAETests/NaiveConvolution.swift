@testable import VAE

/// Convolutions written straight from PyTorch's definitions (nn.Conv2d, nn.ConvTranspose2d), in
/// Double, one output at a time: the reference the fast layers are checked against.
enum NaiveConvolution {
    /// y[b, f, oy, ox] = bias[f] + Σ_c Σ_kh Σ_kw W[f, c, kh, kw] x[b, c, oy*stride - padding + kh, ox*stride - padding + kw],
    /// with x = 0 outside the image; then the activation. x is [batch, C, S, S], the result [batch, F, O, O].
    static func conv2d(_ layer: Conv2D, _ x: [Float], batch: Int) -> [Double] {
        let (c, f, s, o, k) = (layer.inputChannels, layer.outputChannels, layer.inputSide, layer.outputSide, layer.kernelSize)
        let w = layer.weight.value.values, bias = layer.bias.value.values
        var y = [Double](repeating: 0, count: batch * f * o * o)
        for b in 0 ..< batch {
            for fo in 0 ..< f {
                for oy in 0 ..< o {
                    for ox in 0 ..< o {
                        var sum = Double(bias[fo])
                        for ci in 0 ..< c {
                            for kh in 0 ..< k {
                                for kw in 0 ..< k {
                                    let iy = oy * layer.stride - layer.padding + kh
                                    let ix = ox * layer.stride - layer.padding + kw
                                    guard iy >= 0, iy < s, ix >= 0, ix < s else { continue }
                                    sum += Double(w[((fo * c + ci) * k + kh) * k + kw]) * Double(x[((b * c + ci) * s + iy) * s + ix])
                                }
                            }
                        }
                        y[((b * f + fo) * o + oy) * o + ox] = activate(sum, layer.activation)
                    }
                }
            }
        }
        return y
    }

    /// Each input pixel x[b, c, iy, ix] adds x W[c, f, kh, kw] to output pixel
    /// (iy*stride - padding + kh, ix*stride - padding + kw) of channel f when that pixel exists; outputs
    /// start at bias[f]; then the activation. x is [batch, C, S, S], the result [batch, F, O, O] with
    /// O = (S-1) stride - 2 padding + k + outputPadding.
    static func convTranspose2d(_ layer: ConvTranspose2D, _ x: [Float], batch: Int) -> [Double] {
        let (c, f, s, o, k) = (layer.inputChannels, layer.outputChannels, layer.inputSide, layer.outputSide, layer.kernelSize)
        let w = layer.weight.value.values, bias = layer.bias.value.values
        var y = [Double](repeating: 0, count: batch * f * o * o)
        for b in 0 ..< batch {
            for fo in 0 ..< f {
                for i in 0 ..< o * o { y[(b * f + fo) * o * o + i] = Double(bias[fo]) }
            }
            for ci in 0 ..< c {
                for iy in 0 ..< s {
                    for ix in 0 ..< s {
                        let value = Double(x[((b * c + ci) * s + iy) * s + ix])
                        for fo in 0 ..< f {
                            for kh in 0 ..< k {
                                for kw in 0 ..< k {
                                    let oy = iy * layer.stride - layer.padding + kh
                                    let ox = ix * layer.stride - layer.padding + kw
                                    guard oy >= 0, oy < o, ox >= 0, ox < o else { continue }
                                    y[((b * f + fo) * o + oy) * o + ox] += value * Double(w[((ci * f + fo) * k + kh) * k + kw])
                                }
                            }
                        }
                    }
                }
            }
        }
        return y.map { activate($0, layer.activation) }
    }

    private static func activate(_ value: Double, _ activation: Activation) -> Double {
        switch activation {
        case .identity: return value
        case .relu: return max(value, 0)
        case .leakyReLU: return value > 0 ? value : value * Double(Activation.leakySlope)
        }
    }
}
