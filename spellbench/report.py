"""bench-spelling's report: per-video rows, error rates per setting (CSV, Markdown) and a plot."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from classifiers.report import save_png  # noqa: E402
from landmarks.files import write_csv, write_text  # noqa: E402

SETTING = ["lexicon", "kind", "letters_per_second", "fps"]
ALL = "all"  # the signer column of rows pooled over every held-out signer


def rates(rows):
    """Error rates per setting and signer, plus the pooled rows (signer "all"): cer, wer, words_right,
    doubles_twice (share of double letters spelled twice; empty without double letters)."""
    table = pd.DataFrame(rows)
    pooled = table.assign(signer=ALL)
    grouped = pd.concat([pooled, table]).groupby(SETTING + ["signer"], sort=False)
    sums = grouped[["char_errors", "chars", "word_errors", "words", "right", "doubles", "doubles_twice",
                    "frames", "frames_with_hand", "frames_scored", "frames_right"]].sum()
    result = pd.DataFrame({
        "videos": grouped.size(),
        "cer": sums["char_errors"] / sums["chars"],
        "wer": sums["word_errors"] / sums["words"],
        "words_right": sums["right"] / sums["words"],
        "doubles": sums["doubles"],
        "doubles_twice": (sums["doubles_twice"] / sums["doubles"]).where(sums["doubles"] > 0),
        "hand_share": sums["frames_with_hand"] / sums["frames"],
        "frame_accuracy": sums["frames_right"] / sums["frames_scored"],
    }).reset_index()
    order = ["_per_signer", "signer", "lexicon", "kind", "fps", "letters_per_second"]
    return (result.assign(_per_signer=result["signer"] != ALL).sort_values(order, ascending=[True] * 4 + [False, True])
            .drop(columns="_per_signer").reset_index(drop=True))


def _percent(value):
    return "" if pd.isna(value) else f"{100 * value:.1f}%"


def markdown_table(table, columns):
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _, row in table.iterrows():
        cells = []
        for column in columns:
            value = row[column]
            cells.append(_percent(value) if column in {"cer", "wer", "words_right", "doubles_twice", "hand_share", "frame_accuracy"}
                         else f"{value:g}" if isinstance(value, float) else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot(table, target):
    """Character error rate against letters per second: words and names side by side, a colour per word
    list, solid at the highest frame rate and dashed below it."""
    pooled = table[table["signer"] == ALL]
    kinds = [k for k in ("word", "name") if k in set(pooled["kind"])]
    lexicons = sorted(set(pooled["lexicon"]), key=lambda name: (name == "none", name))
    top_fps = pooled["fps"].max()
    figure, axes = plt.subplots(1, len(kinds), figsize=(5.2 * len(kinds), 4.0), sharey=True, squeeze=False)
    for axis, kind in zip(axes[0], kinds):
        for (lexicon, fps), part in pooled[pooled["kind"] == kind].groupby(["lexicon", "fps"]):
            part = part.sort_values("letters_per_second")
            axis.plot(part["letters_per_second"], 100 * part["cer"], color=f"C{lexicons.index(lexicon)}",
                      linestyle="-" if fps == top_fps else "--", marker="o" if fps == top_fps else "s",
                      label=f"{'no word list' if lexicon == 'none' else 'word list ' + lexicon}, {fps:g} fps")
        axis.set_title(f"{kind}s")
        axis.set_xlabel("letters per second")
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8)
    axes[0][0].set_ylabel("character error rate (%)")
    axes[0][0].set_ylim(bottom=0)
    figure.suptitle("Spelling for a signer the model never saw")
    save_png(figure, target)


def write_report(rows, out, command="", options=None, held_out=()):
    """spelling_words.csv (one row per video and word list), spelling.csv, spelling.md, spelling.png."""
    table = rates(rows)
    write_csv(pd.DataFrame(rows), out / "spelling_words.csv")
    write_csv(table, out / "spelling.csv")
    plot(table, out / "spelling.png")
    columns = SETTING + ["videos", "cer", "wer", "words_right", "doubles_twice", "hand_share", "frame_accuracy"]
    pooled = table[table["signer"] == ALL]
    mistakes = [f"{r['word']} -> {r['spelled'] or '(nothing)'}" for r in rows if r["spelled"] != r["word"]]
    text = "\n".join([
        "# Spelling benchmark", "",
        f"- command: `{command}`" if command else "",
        f"- photos: `{options.photos_dir}`; classifier {options.classifier}, trained without the held-out signer "
        f"(each of {', '.join(held_out)} in turn)" if options else "",
        "- cer: character error rate (edits / letters); wer: word error rate; words_right: words spelled exactly; "
        "doubles_twice: double letters spelled twice; hand_share: frames in which the detector found a hand "
        "(the hand is gone ~0.7 s per video by design); frame_accuracy: frames with a hand whose most probable "
        "label is the letter shown (the classifier alone, before the decoder)", "",
        "## All held-out signers", "", markdown_table(pooled, columns), "",
        "## Per signer", "", markdown_table(table[table["signer"] != ALL], ["signer"] + columns), "",
        f"## Misspelled ({len(mistakes)} of {len(rows)})", "", ", ".join(mistakes[:300]) or "none", "",
        "![character error rate against letters per second](spelling.png)", ""])
    write_text(text.replace("\n\n\n", "\n\n"), out / "spelling.md")
    return markdown_table(pooled, columns) + f"\nreport in {out / 'spelling.md'}"
