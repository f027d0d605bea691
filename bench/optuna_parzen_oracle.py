#!/usr/bin/env python3
# The oracle of tests/Client.Tests/Search/ParzenEstimatorTests.cs: log densities of Optuna's multivariate Parzen
# estimator (TPESampler defaults) on fixed observations. Optuna 3.1 (Debian python3-optuna) omits log(scale) from its
# truncated-normal log density, fixed upstream in PR 5110 (Optuna 3.5); the patch below applies that fix.
# Run: /usr/bin/python3 bench/optuna_parzen_oracle.py
import numpy as np
from optuna.distributions import FloatDistribution, IntDistribution, CategoricalDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights
import optuna.samplers._tpe._truncnorm as tn
_orig = tn.logpdf
tn.logpdf = lambda x, a, b, loc=0, scale=1: _orig(x, a, b, loc, scale) - np.log(scale)  # optuna PR 5110 (3.5)
space = {"a": FloatDistribution(-2.0, 3.0), "b": FloatDistribution(0.001, 0.1, log=True), "c": IntDistribution(2, 9), "d": CategoricalDistribution(["x","y","z"])}
obs = {"a": np.array([0.5, -1.0, 2.5, 0.0, 1.2]), "b": np.array([0.01, 0.05, 0.002, 0.09, 0.03]), "c": np.array([3., 9., 2., 5., 5.]), "d": np.array([0., 2., 2., 1., 0.])}
params = _ParzenEstimatorParameters(True, 1.0, True, False, default_weights, True)
pe = _ParzenEstimator(obs, space, params)
pts = {"a": np.array([0.4, -2.0, 3.0, 1.7]), "b": np.array([0.012, 0.001, 0.1, 0.04]), "c": np.array([3., 2., 9., 6.]), "d": np.array([0, 1, 2, 0])}
print(repr(pe.log_pdf(pts)))
pe0 = _ParzenEstimator({k: np.array([]) for k in obs}, space, params)
print(repr(pe0.log_pdf(pts)))
# 30 observations (ramp weights)
rng = np.random.RandomState(1)
obs30 = {"a": rng.uniform(-2,3,30), "b": np.exp(rng.uniform(np.log(0.001), np.log(0.1), 30)), "c": rng.randint(2,10,30).astype(float), "d": rng.randint(0,3,30).astype(float)}
pe30 = _ParzenEstimator(obs30, space, params)
print(repr(pe30.log_pdf(pts)))
#for k in obs30: print(k, ", ".join(repr(float(v)) for v in obs30[k]))
