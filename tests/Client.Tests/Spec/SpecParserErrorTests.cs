using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Tests.Spec;

/// <summary>Bad specs: each problem named with its spec location and the file, line and column it is at.</summary>
public sealed class SpecParserErrorTests
{
    [Fact]
    public void Errors_read_like_compiler_messages()
    {
        var error = new SpecError("experiments/x.yaml", 7, 12, "sweep.parameters.sigma[1]: must be a positive number, got -0.3");

        Assert.Equal("experiments/x.yaml:7:12: sweep.parameters.sigma[1]: must be a positive number, got -0.3", error.ToString());
    }

    [Fact]
    public void A_yaml_syntax_error_is_reported_where_the_parser_stopped()
    {
        var error = SpecTesting.Single("""
            name: t
            dataset:
              path: /data/fm
               validation: 100
            """);

        SpecTesting.AssertAt(error, 4, 14, "YAML syntax error: While scanning a plain scalar value, found invalid mapping.");
    }

    [Fact]
    public void An_unclosed_brace_is_a_syntax_error_near_it()
    {
        var error = SpecTesting.Single("""
            name: t
            dataset: { path: /data/fm
            sweep: {}
            """);

        Assert.Equal(2, error.Line);
        Assert.StartsWith("YAML syntax error", error.Message);
    }

    [Fact]
    public void An_empty_file_is_an_error()
    {
        SpecTesting.AssertAt(SpecTesting.Single(""), 1, 1, "the spec is empty");
        SpecTesting.AssertAt(SpecTesting.Single("# only a comment\n"), 1, 1, "the spec is empty");
    }

    [Fact]
    public void The_top_level_must_be_a_mapping()
    {
        var error = SpecTesting.Single("- a\n- b\n");

        SpecTesting.AssertAt(error, 1, 1, "must be a mapping with keys name, description, dataset, model, train, eval, sweep, schedule, got a list");
    }

    [Fact]
    public void A_misspelt_key_gets_a_suggestion_at_any_level()
    {
        var errors = SpecTesting.Errors("""
            name: t
            dataset: { path: /data/fm, validaton: 100 }
            train:
              epoch: 3
            sweep:
              strategy: grid
              parameters: { sigmaa: [0.1] }
            """);

        Assert.Equal(3, errors.Count);
        SpecTesting.AssertAt(errors[0], 2, 28, "dataset.validaton: unknown key (did you mean 'validation'?)");
        SpecTesting.AssertAt(errors[1], 4, 3, "train.epoch: unknown key (did you mean 'epochs'?)");
        SpecTesting.AssertAt(errors[2], 7, 17, "sweep.parameters.sigmaa: unknown key (did you mean 'sigma'?)");
    }

    [Fact]
    public void An_unknown_key_without_a_close_match_lists_the_known_ones()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { latent: [2] }, flavour: vanilla }\n");

        SpecTesting.AssertAt(error, 5, 39, "sweep.flavour: unknown key; expected one of strategy, parameters, trials, seed, startup_trials, lag, configs, objective");
    }

    [Fact]
    public void A_key_in_the_wrong_section_says_where_it_belongs()
    {
        var errors = SpecTesting.Errors("""
            name: t
            latent: 3
            dataset: { path: /data/fm }
            train: { sigma: 0.2 }
            sweep: { parameters: { split_seed: [1, 2] } }
            """);

        Assert.Equal(3, errors.Count);
        SpecTesting.AssertAt(errors[0], 2, 1, "latent: unknown key here (it belongs in the model section)");
        SpecTesting.AssertAt(errors[1], 4, 10, "train.sigma: unknown key here (it belongs in the model section)");
        SpecTesting.AssertAt(errors[2], 5, 24, "sweep.parameters.split_seed: unknown key here (dataset settings are shared by every trial and cannot be swept)");
    }

    [Fact]
    public void Wrong_types_name_the_expected_type_and_the_value_given()
    {
        var errors = SpecTesting.Errors("""
            name: t
            dataset: { path: /data/fm, validation: 5k }
            model: { hidden: 400, activation: Relu, sigma: small }
            train:
              epochs: three
              batch_size: "128"
            sweep: { parameters: { latent: [2] } }
            """);

        Assert.Equal(6, errors.Count);
        SpecTesting.AssertAt(errors[0], 2, 40, "dataset.validation: must be an integer, got '5k'");
        SpecTesting.AssertAt(errors[1], 3, 18, "model.hidden: must be a list of integers such as [400] or [512, 256], got '400'");
        SpecTesting.AssertAt(errors[2], 3, 35, "model.activation: must be one of relu, tanh, softplus, identity, got 'Relu' (did you mean 'relu'?)");
        SpecTesting.AssertAt(errors[3], 3, 48, "model.sigma: must be a number, got 'small'");
        SpecTesting.AssertAt(errors[4], 5, 11, "train.epochs: must be an integer, got 'three'");
        SpecTesting.AssertAt(errors[5], 6, 15, "train.batch_size: must be an integer, got '128'");
    }

    [Fact]
    public void A_non_integer_grid_value_is_reported_with_its_index()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { latent: [2, 2.5] } }\n");

        SpecTesting.AssertAt(error, 5, 36, "sweep.parameters.latent[1]: must be an integer, got '2.5'");
    }

    [Fact]
    public void A_negative_sigma_in_the_grid_is_reported_at_that_element()
    {
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              strategy: grid
              parameters:
                latent: [2, 4]
                sigma: [0.1, -0.3]
            """);

        SpecTesting.AssertAt(error, 9, 18, "sweep.parameters.sigma[1]: must be a positive number, got -0.3");
        Assert.Equal("experiments/test.yaml:9:18: sweep.parameters.sigma[1]: must be a positive number, got -0.3", error.ToString());
    }

    [Fact]
    public void Invalid_base_values_are_reported_at_their_model_or_train_key_value()
    {
        var errors = SpecTesting.Errors("""
            name: t
            dataset: { path: /data/fm }
            model: { hidden: [400, 0], latent: 0, likelihood: bernoulli, binarization: none }
            train: { lr: -1e-3 }
            sweep: { parameters: { beta: [1.0, 2.0] } }
            """);

        Assert.Equal(4, errors.Count);
        SpecTesting.AssertAt(errors[0], 3, 24, "model.hidden[1]: must be at least 1, got 0");
        SpecTesting.AssertAt(errors[1], 3, 36, "model.latent: must be at least 1, got 0");
        SpecTesting.AssertAt(errors[2], 3, 76, "model.binarization: the bernoulli likelihood needs static or dynamic binarisation");
        SpecTesting.AssertAt(errors[3], 4, 14, "train.lr: must be a positive number, got -0.001");
    }

    [Fact]
    public void An_invalid_swept_architecture_points_into_the_nested_list()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { hidden: [[400], [256, 0]] } }\n");

        SpecTesting.AssertAt(error, 5, 46, "sweep.parameters.hidden[1][1]: must be at least 1, got 0");
    }

    [Fact]
    public void A_flat_hidden_list_under_sweep_explains_the_list_of_lists()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { hidden: [400, 200] } }\n");

        SpecTesting.AssertAt(error, 5, 32,
            "sweep.parameters.hidden: each value is a list of layer widths: write [[400, 200]] for one architecture or [[400], [200]] for two");
    }

    [Fact]
    public void A_fixed_value_under_grid_parameters_asks_for_a_list()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { latent: 2 } }\n");

        SpecTesting.AssertAt(error, 5, 32,
            "sweep.parameters.latent: must be a list of values to sweep such as [a, b, ...], got '2'; a fixed value belongs in the model section");
    }

    [Fact]
    public void An_empty_grid_list_is_an_error()
    {
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              parameters:
                latent: [2, 4]
                sigma: []
            """);

        SpecTesting.AssertAt(error, 8, 12, "sweep.parameters.sigma: the list of values is empty; give at least one");
    }

    [Fact]
    public void A_duplicate_grid_value_is_an_error()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { beta: [1, 1.0] } }\n");

        SpecTesting.AssertAt(error, 5, 34, "sweep.parameters.beta[1]: duplicate value 1 (already at sweep.parameters.beta[0]); it would repeat trials");
    }

    [Fact]
    public void Missing_required_sections_and_keys_are_each_reported()
    {
        var errors = SpecTesting.Errors("""
            description: nothing else
            dataset:
              validation: 100
            """);

        Assert.Equal(3, errors.Count);
        SpecTesting.AssertAt(errors[0], 1, 1, "name: missing; the spec needs a name for the sweep");
        SpecTesting.AssertAt(errors[1], 1, 1, "sweep: missing; the spec needs a sweep section (use strategy: list with one config for a single trial)");
        SpecTesting.AssertAt(errors[2], 2, 1, "dataset.path: missing; the spec needs the directory with the four IDX files, or dataset.train: a .npy, .npz or CSV file");
    }

    [Fact]
    public void A_missing_dataset_section_is_reported()
    {
        var error = SpecTesting.Single("name: t\nsweep: { parameters: { latent: [2] } }\n");

        SpecTesting.AssertAt(error, 1, 1, "dataset: missing; the spec needs a dataset section with a path (IDX directory) or a train file");
    }

    [Fact]
    public void A_dataset_directory_that_does_not_exist_is_reported_at_the_path()
    {
        var options = new SpecParserOptions { DirectoryExists = p => p != "/data/fm" };
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { latent: [2] } }\n", options);

        SpecTesting.AssertAt(error, 2, 18, "dataset.path: directory '/data/fm' does not exist");
    }

    [Fact]
    public void Invalid_dataset_numbers_are_reported_at_their_values()
    {
        var errors = SpecTesting.Errors("""
            name: t
            dataset: { path: /data/fm, validation: 0, limit: -5 }
            sweep: { parameters: { latent: [2] } }
            """);

        Assert.Equal(2, errors.Count);
        SpecTesting.AssertAt(errors[0], 2, 40, "dataset.validation: must be at least 1, got 0");
        SpecTesting.AssertAt(errors[1], 2, 50, "dataset.limit: must be 0 (all) or more, got -5");
    }

    [Fact]
    public void Duplicate_keys_are_each_reported_at_the_repeat()
    {
        var errors = SpecTesting.Errors("""
            name: t
            dataset: { path: /data/fm }
            model:
              latent: 2
              latent: 3
            sweep: { parameters: { sigma: [0.1], sigma: [0.2] } }
            name: u
            """);

        Assert.Equal(3, errors.Count);
        SpecTesting.AssertAt(errors[0], 5, 3, "model.latent: duplicate key (first given at line 4, column 3)");
        SpecTesting.AssertAt(errors[1], 6, 38, "sweep.parameters.sigma: duplicate key (first given at line 6, column 24)");
        SpecTesting.AssertAt(errors[2], 7, 1, "name: duplicate key (first given at line 1, column 1)");
    }

    [Fact]
    public void Random_without_trials_is_an_error_at_the_sweep_key()
    {
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              strategy: random
              parameters: { latent: [2, 4] }
            """);

        SpecTesting.AssertAt(error, 5, 1, "sweep: strategy random needs 'trials: N', the number of trials to draw");
    }

    [Fact]
    public void A_distribution_with_low_above_high_is_an_error()
    {
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              strategy: random
              trials: 4
              parameters:
                beta: { uniform: [4.0, 1.0] }
            """);

        SpecTesting.AssertAt(error, 9, 22, "sweep.parameters.beta.uniform: low bound 4 is greater than high bound 1");
    }

    [Fact]
    public void Log_uniform_needs_positive_bounds()
    {
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              strategy: random
              trials: 4
              parameters:
                lr: { log_uniform: [0, 0.01] }
            """);

        SpecTesting.AssertAt(error, 9, 25, "sweep.parameters.lr.log_uniform[0]: log_uniform needs positive bounds, got 0");
    }

    [Fact]
    public void Int_uniform_bounds_must_be_ordered_integers()
    {
        var errors = SpecTesting.Errors(SpecTesting.Header + """
            sweep:
              strategy: random
              trials: 2
              parameters:
                latent: { int_uniform: [32, 2] }
                epochs: { int_uniform: [1, 2.5] }
                batch_size: { uniform: [16, 256] }
            """);

        Assert.Equal(3, errors.Count);
        SpecTesting.AssertAt(errors[0], 9, 28, "sweep.parameters.latent.int_uniform: low bound 32 is greater than high bound 2");
        SpecTesting.AssertAt(errors[1], 10, 32, "sweep.parameters.epochs.int_uniform[1]: must be an integer, got '2.5'");
        SpecTesting.AssertAt(errors[2], 11, 19, "sweep.parameters.batch_size.uniform: batch_size is not a real number; use int_uniform or choice");
    }

    [Fact]
    public void A_distribution_needs_exactly_one_kind_and_two_bounds()
    {
        var errors = SpecTesting.Errors(SpecTesting.Header + """
            sweep:
              strategy: random
              trials: 2
              parameters:
                sigma: { uniform: [0.1, 0.2], log_uniform: [0.1, 0.2] }
                beta: { uniform: [1] }
                lr: { normal: [0, 1] }
            """);

        Assert.Equal(3, errors.Count);
        SpecTesting.AssertAt(errors[0], 9, 12, "sweep.parameters.sigma: give exactly one distribution: uniform, log_uniform, int_uniform, choice");
        SpecTesting.AssertAt(errors[1], 10, 22, "sweep.parameters.beta.uniform: must be [low, high], got 1 values");
        SpecTesting.AssertAt(errors[2], 11, 11, "sweep.parameters.lr.normal: unknown key; expected one of uniform, log_uniform, int_uniform, choice");
    }

    [Fact]
    public void An_unknown_strategy_is_an_error_with_a_suggestion()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { strategy: gird, parameters: { latent: [2] } }\n");

        SpecTesting.AssertAt(error, 5, 20, "sweep.strategy: must be one of grid, random, list, tpe, got 'gird' (did you mean 'grid'?)");
    }

    [Fact]
    public void Keys_of_another_strategy_are_rejected_rather_than_ignored()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { latent: [2] }, trials: 5 }\n");

        SpecTesting.AssertAt(error, 5, 39, "sweep.trials: not used by strategy grid (only by random and tpe)");
    }

    [Fact]
    public void A_grid_beyond_the_trial_limit_is_refused_before_expansion()
    {
        var spec = SpecTesting.Header + """
            sweep:
              parameters:
                latent: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
                sigma: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
                beta: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
                lr: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
                seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
            """;

        var error = SpecTesting.Single(spec);

        SpecTesting.AssertAt(error, 6, 3,
            "sweep.parameters: the grid has 100000 trials (10 × 10 × 10 × 10 × 10), more than the limit of 10000; " +
            "use fewer values, strategy: random, or raise the limit");
    }

    [Fact]
    public void The_trial_limit_is_configurable()
    {
        var spec = SpecTesting.Header + "sweep: { parameters: { latent: [1, 2, 3], seed: [1, 2] } }\n";

        Assert.Equal(6, SpecTesting.Valid(spec, SpecTesting.AnyDirectory with { MaxTrials = 6 }).TrialCount);
        Assert.Contains("more than the limit of 5", SpecTesting.Single(spec, SpecTesting.AnyDirectory with { MaxTrials = 5 }).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecTesting.Parse(spec, SpecTesting.AnyDirectory with { MaxTrials = 0 }));
    }

    [Fact]
    public void A_bad_sweep_name_is_rejected()
    {
        var error = SpecTesting.Single("name: my sweep\ndataset: { path: /d }\nsweep: {}\n");

        SpecTesting.AssertAt(error, 1, 7, "name: must start with a letter or digit and use only letters, digits, '.', '_' and '-', got 'my sweep'");
    }

    [Fact]
    public void All_problems_are_reported_together_in_file_order()
    {
        var errors = SpecTesting.Errors("""
            name: t
            dataset: { path: /data/fm }
            model: { latent: 0 }
            train: { epochs: three, batchsize: 64 }
            sweep:
              parameters:
                sigma: [0.1, -0.3]
                beta: []
            """);

        Assert.Equal(
            ["3:18", "4:18", "4:25", "7:18", "8:11"],
            errors.Select(e => $"{e.Line}:{e.Column}"));
    }
}
