using VaeSweep.Model.Optim;
using VaeSweep.Model.Tests.TestSupport;
using static VaeSweep.Model.Tests.TestSupport.TensorAssert;

namespace VaeSweep.Model.Tests.Optim;

public class AdamTests
{
    [Fact]
    public void Steps_follow_the_torch_formula()
    {
        // 19 parameters: the vector loop and its scalar tail both run.
        const int n = 19;
        const double lr = 0.01;
        var random = new Random(3);
        var theta = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
        var expected = Reference.ToDouble(theta);
        var m = new double[n];
        var v = new double[n];
        var adam = new Adam(n, lr);
        for (var t = 1; t <= 4; t++)
        {
            var g = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5) * (t == 3 ? 0f : 1f)).ToArray();
            adam.Step(theta, g);
            for (var i = 0; i < n; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                var mHat = m[i] / (1 - Math.Pow(0.9, t));
                var vHat = v[i] / (1 - Math.Pow(0.999, t));
                expected[i] -= lr * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
            CheckTensor(theta, expected, $"θ after step {t}", 1e-5);
            CheckTensor(adam.FirstMoment, m, $"m after step {t}", 1e-5);
            CheckTensor(adam.SecondMoment, v, $"v after step {t}", 1e-5);
        }
        Assert.Equal(4, adam.Steps);
    }

    [Fact]
    public void First_step_moves_each_parameter_by_about_the_learning_rate()
    {
        // With bias correction, step 1 is lr·g/(|g| + ε): a sign step of size lr, whatever the gradient scale.
        var theta = new float[] { 0, 0, 0 };
        new Adam(3, 0.5).Step(theta, [1e-3f, -20f, 7f]);
        Assert.Equal(new[] { -0.5f, 0.5f, -0.5f }, theta.Select(v => MathF.Round(v, 4)).ToArray());
    }
}
