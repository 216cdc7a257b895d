"""Coverage-guided fuzzing of the understanding step with atheris (optional, never run in CI).

    pip install atheris        # a developer's tool: not in requirements
    python -m benchmarks.fuzz_understand [CORPUS_DIR] [-max_total_time=300] [-analysis=1]

Each input becomes a text (half the time its bytes decoded as UTF-8 with errors="replace", half
the time arbitrary code points without surrogates) and goes through
``benchmarks.hostile_texts.understanding_problems``: commands, privacy words, masking,
normalisation, emergencies, language, ``understand`` (and with ``-analysis=1`` the classifier,
the place finder and the router too). A broken invariant or an exception stops the run; atheris
saves the input as ``crash-<sha1>`` in the working directory.
"""

from __future__ import annotations

import sys


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["sms_gateway", "benchmarks"]):
        from benchmarks.hostile_texts import understanding_problems

    analysis = "-analysis=1" in sys.argv
    argv = [arg for arg in sys.argv if not arg.startswith("-analysis=")]

    def one_input(data: bytes) -> None:
        if data[:1] == b"\x01":
            provider = atheris.FuzzedDataProvider(data[1:])
            text = provider.ConsumeUnicodeNoSurrogates(len(data))
        else:
            text = data.decode("utf-8", errors="replace")
        problems = understanding_problems(text, with_analysis=analysis)
        if problems:
            raise AssertionError(f"{problems} for {text[:200]!r}")

    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
