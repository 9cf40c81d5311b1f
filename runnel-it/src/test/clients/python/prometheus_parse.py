"""Parses a Prometheus exposition read from stdin with prometheus_client's own parsers (Debian's
python3-prometheus-client, which .ci/run installs): argv[1] 'text' for the text format 0.0.4, 'openmetrics' for
OpenMetrics 1.0, whose parser is strict (a type per family, the '# EOF' line). A malformed exposition raises, and the
exit status is not 0. Prints one line per sample: family, family type, sample name, labels as JSON, value."""
import json
import math
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families as text_families


def number(value):
    # Java's Double.parseDouble reads these names, not Python's 'inf' and 'nan'.
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(float(value))


def main():
    parse = openmetrics_families if sys.argv[1] == "openmetrics" else text_families
    for family in parse(sys.stdin.read()):
        for sample in family.samples:
            print("\t".join([family.name, family.type, sample.name, json.dumps(sample.labels, sort_keys=True),
                             number(sample.value)]))


if __name__ == "__main__":
    main()
