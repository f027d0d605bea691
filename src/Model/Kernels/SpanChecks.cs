namespace VaeSweep.Model.Kernels;

/// <summary>Argument checks shared by the elementwise kernels; messages name both spans and their lengths.</summary>
internal static class SpanChecks
{
    public static void SameLength(int length, int otherLength, string name, string otherName)
    {
        if (length != otherLength)
            throw new ArgumentException($"{name} has {length} elements but {otherName} has {otherLength}; they must match", otherName);
    }

    /// <summary>Rows of a row-major matrix of <paramref name="total"/> elements whose rows are <paramref name="columns"/> long.</summary>
    public static int Rows(int total, int columns, string matrixName, string rowName)
    {
        if (columns == 0)
        {
            if (total != 0) throw new ArgumentException($"{rowName} is empty but {matrixName} has {total} elements", rowName);
            return 0;
        }
        if (total % columns != 0)
            throw new ArgumentException($"{matrixName} has {total} elements, not a whole number of rows of {rowName}'s {columns}", matrixName);
        return total / columns;
    }
}
