using VaeSweep.Model.Kernels;
using static VaeSweep.Model.Tests.Kernels.KernelAssert;

namespace VaeSweep.Model.Tests.Kernels;

public class LatentAndAdamKernelTests
{
    [Fact]
    public void ReparameterizeMatchesTwinAndClosedFormKl()
    {
        var rng = new Random(21);
        foreach (var n in OddLengths)
        {
            var mu = Uniform(rng, n, -2, 2);
            var logVar = Uniform(rng, n, -4, 2);
            var eps = Gaussian(rng, n);
            var z = new float[n];
            var zScalar = new float[n];
            var kl = LatentKernels.Reparameterize(mu, logVar, eps, z);
            var klScalar = LatentKernels.ReparameterizeScalar(mu, logVar, eps, zScalar);
            Close(zScalar, z, 1e-6, 1e-6, "z vs scalar twin");
            var expectedKl = 0.0;
            for (var i = 0; i < n; i++)
            {
                double m = mu[i], v = logVar[i];
                Close(m + Math.Exp(0.5 * v) * eps[i], z[i], 1e-6, 1e-6, $"z[{i}] vs μ + σε");
                expectedKl += 0.5 * (m * m + Math.Exp(v) - 1 - v);
            }
            Close(expectedKl, kl, 1e-5, 1e-6, "KL vs closed form");
            Close(klScalar, kl, 1e-5, 1e-6, "KL vs scalar twin");
        }
    }

    [Fact]
    public void KlIsZeroForTheStandardNormalPosterior()
    {
        var zeros = new float[21];
        var z = new float[21];
        var eps = Enumerable.Range(0, 21).Select(i => i - 10f).ToArray();
        // Vector exp is within an ulp of e^x but not exact at 0, so "zero" is a few float ulps per latent unit.
        Close(0.0, LatentKernels.Reparameterize(zeros, zeros, eps, z), 0, 21 * 3e-7, "KL of N(0, I)");
        Close(eps, z, 3e-7, 0, "z with σ = 1");
    }

    [Fact]
    public void ReparameterizeBackwardMatchesTwinAndFloat64FiniteDifferences()
    {
        var rng = new Random(22);
        const float klWeight = 0.7f;
        foreach (var n in new[] { 3, 20, 37 })
        {
            var mu = Uniform(rng, n, -2, 2);
            var logVar = Uniform(rng, n, -3, 1.5);
            var eps = Gaussian(rng, n);
            var dz = Uniform(rng, n, -1, 1);
            var dMu = new float[n];
            var dLogVar = new float[n];
            var dMuScalar = new float[n];
            var dLogVarScalar = new float[n];
            LatentKernels.ReparameterizeBackward(mu, logVar, eps, dz, klWeight, dMu, dLogVar);
            LatentKernels.ReparameterizeBackwardScalar(mu, logVar, eps, dz, klWeight, dMuScalar, dLogVarScalar);
            Close(dMuScalar, dMu, 1e-6, 1e-7, "dMu vs twin");
            Close(dLogVarScalar, dLogVar, 2e-6, 1e-7, "dLogVar vs twin");

            // L(μ, v) = Σ dz·(μ + e^{v/2} ε) + w · ½ Σ (μ² + e^v − 1 − v), in double.
            double Objective(double[] m, double[] v)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                    sum += dz[i] * (m[i] + Math.Exp(0.5 * v[i]) * eps[i]) + klWeight * 0.5 * (m[i] * m[i] + Math.Exp(v[i]) - 1 - v[i]);
                return sum;
            }
            var md = mu.Select(v => (double)v).ToArray();
            var vd = logVar.Select(v => (double)v).ToArray();
            const double h = 1e-6;
            for (var i = 0; i < n; i++)
            {
                var keep = md[i];
                md[i] = keep + h; var up = Objective(md, vd);
                md[i] = keep - h; var down = Objective(md, vd);
                md[i] = keep;
                Close((up - down) / (2 * h), dMu[i], 1e-4, 1e-6, $"dMu[{i}]");
                keep = vd[i];
                vd[i] = keep + h; up = Objective(md, vd);
                vd[i] = keep - h; down = Objective(md, vd);
                vd[i] = keep;
                Close((up - down) / (2 * h), dLogVar[i], 1e-4, 1e-6, $"dLogVar[{i}]");
            }
        }
    }

    [Fact]
    public void AdamMatchesTwinAndADoublePrecisionAdamOverSeveralSteps()
    {
        var rng = new Random(23);
        const double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        foreach (var n in OddLengths)
        {
            var p = Uniform(rng, n, -1, 1);
            var pScalar = (float[])p.Clone();
            var pd = p.Select(v => (double)v).ToArray();
            float[] m = new float[n], v = new float[n], mScalar = new float[n], vScalar = new float[n];
            double[] md = new double[n], vd = new double[n];
            for (var t = 1; t <= 5; t++)
            {
                var g = Uniform(rng, n, -2, 2);
                var stepSize = lr / (1 - Math.Pow(b1, t));
                var correction = 1 / Math.Sqrt(1 - Math.Pow(b2, t));
                AdamKernel.Step(p, m, v, g, (float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2), (float)stepSize, (float)correction, (float)eps);
                AdamKernel.StepScalar(pScalar, mScalar, vScalar, g, (float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2), (float)stepSize, (float)correction, (float)eps);
                for (var i = 0; i < n; i++)
                {
                    md[i] = b1 * md[i] + (1 - b1) * g[i];
                    vd[i] = b2 * vd[i] + (1 - b2) * g[i] * g[i];
                    pd[i] -= stepSize * md[i] / (Math.Sqrt(vd[i]) * correction + eps);
                }
            }
            Close(pScalar, p, 1e-6, 1e-7, "parameters vs twin");
            Close(mScalar, m, 1e-6, 1e-9, "m vs twin");
            Close(vScalar, v, 1e-6, 1e-9, "v vs twin");
            for (var i = 0; i < n; i++) Close(pd[i], p[i], 1e-6, 1e-6, $"parameter {i} vs double Adam");
        }
    }

    [Fact]
    public void AdamFirstStepMovesEveryParameterByTheLearningRateAgainstTheGradientSign()
    {
        var p = new float[19];
        var g = Enumerable.Range(0, 19).Select(i => (i % 2 == 0 ? 1f : -1f) * (0.01f + i)).ToArray();
        AdamKernel.Step(p, new float[19], new float[19], g, 0.9f, 0.1f, 0.999f, 0.001f, (float)(1e-3 / 0.1), (float)(1 / Math.Sqrt(0.001)), 1e-8f);
        for (var i = 0; i < 19; i++) Close(-Math.Sign(g[i]) * 1e-3, p[i], 1e-4, 0, $"step of parameter {i}");
    }

    [Fact]
    public void AdamGivesTheSameBitsForAnyThreadCount()
    {
        var rng = new Random(24);
        const int n = 3 * (1 << 16) + 5;
        var p = Uniform(rng, n, -1, 1);
        var m = Uniform(rng, n, -0.1, 0.1);
        var v = Uniform(rng, n, 0, 0.01);
        var g = Uniform(rng, n, -1, 1);
        var results = new List<float[]>();
        foreach (var threads in new[] { 1, 2, 3 })
        {
            float[] pt = (float[])p.Clone(), mt = (float[])m.Clone(), vt = (float[])v.Clone();
            AdamKernel.Step(pt, mt, vt, g, 0.9f, 0.1f, 0.999f, 0.001f, 1e-2f, 3f, 1e-8f, threads);
            results.Add([.. pt, .. mt, .. vt]);
        }
        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], results[2]);
    }

    [Fact]
    public void AdamFlushesMomentsThatWouldBecomeSubnormalToZero()
    {
        const int n = 19; // a 16-lane vector and a scalar tail
        const float tinyM = 1.2e-38f, tinyV = 1.176e-38f;   // normal, but × β₁ (resp. × β₂) lands below 2⁻¹²⁶
        foreach (var simd in new[] { true, false })
        {
            var p = Enumerable.Repeat(0.5f, n).ToArray();
            var m = Enumerable.Repeat(tinyM, n).ToArray();
            var v = Enumerable.Repeat(tinyV, n).ToArray();
            m[3] = -tinyM;
            m[5] = 1e-3f;   // ordinary values are untouched
            var g = new float[n];
            if (simd) AdamKernel.Step(p, m, v, g, 0.9f, 0.1f, 0.999f, 0.001f, 1e-3f, 1f, 1e-8f);
            else AdamKernel.StepScalar(p, m, v, g, 0.9f, 0.1f, 0.999f, 0.001f, 1e-3f, 1f, 1e-8f);
            for (var i = 0; i < n; i++)
            {
                if (i == 5)
                {
                    Assert.Equal(0.9f * 1e-3f, m[i]);
                    continue;
                }
                Assert.True(m[i] == 0f && v[i] == 0f, $"{(simd ? "SIMD" : "scalar")} lane {i}: m = {m[i]:R}, v = {v[i]:R}, expected both flushed to 0");
            }
            Assert.All(v, x => Assert.False(float.IsSubnormal(x)));
        }
    }

    [Fact]
    public void MismatchedLatentAndAdamSpansAreRejectedByName()
    {
        var ex = Assert.Throws<ArgumentException>(() => LatentKernels.Reparameterize(new float[4], new float[4], new float[3], new float[4]));
        Assert.Contains("eps", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => AdamKernel.Step(new float[4], new float[4], new float[5], new float[4], 0.9f, 0.1f, 0.999f, 0.001f, 1e-3f, 1f, 1e-8f));
        Assert.Contains("v has 5", ex.Message);
    }
}
