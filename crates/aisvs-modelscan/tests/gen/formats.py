"""Non-pickle samples: Keras (.keras and legacy HDF5 configs), GGUF chat templates and header
bombs, ONNX external data and custom domains, safetensors header checks, unknown content."""
import io
import json
import struct
import zipfile

from common import emit

DENSE = {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 2},
         "registered_name": None}
LAMBDA = {"module": "keras.layers", "class_name": "Lambda",
          "config": {"name": "l", "function": {"class_name": "__lambda__", "config": {"code": "4wEAAAAA"}}}}
FOREIGN = {"module": "os", "class_name": "system", "config": {}, "registered_name": None}


def model(layers):
    return {"module": "keras", "class_name": "Sequential", "config": {"name": "m", "layers": layers},
            "registered_name": None}


def keras_zip(cfg):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.6.0"}))
        z.writestr("config.json", json.dumps(cfg))
        z.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n" + bytes(600))
    return buf.getvalue()


def model2(layers):
    """Keras 2 spelling (no `module` keys), as legacy HDF5 files store it."""
    return {"class_name": "Sequential", "config": {"name": "m", "layers": layers}}


LAMBDA2 = {"class_name": "Lambda", "config": {"name": "l", "function": ["4wEAAAAA", None, None],
                                              "function_type": "lambda"}}
DENSE2 = {"class_name": "Dense", "config": {"name": "d", "units": 2}}


def fake_h5(cfg):
    """HDF5 magic, filler, then the model_config attribute text as Keras 2 stores it."""
    text = json.dumps(cfg).encode() if cfg is not None else b""
    return b"\x89HDF\r\n\x1a\n" + bytes(2040) + b"model_config\x00" + text + bytes(512)


def gguf_string(text):
    b = text.encode()
    return struct.pack("<Q", len(b)) + b


def gguf(template, tensors=True):
    kv = [(b"general.architecture", 8, gguf_string("llama")), (b"general.alignment", 4, struct.pack("<I", 32))]
    if template is not None:
        kv.append((b"tokenizer.chat_template", 8, gguf_string(template)))
    kv.append((b"tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 2) + gguf_string("a") + gguf_string("b")))
    body = b"GGUF" + struct.pack("<IQQ", 3, 1 if tensors else 0, len(kv))
    for key, ty, value in kv:
        body += struct.pack("<Q", len(key)) + key + struct.pack("<I", ty) + value
    if tensors:
        body += gguf_string("w") + struct.pack("<IQQIQ", 2, 2, 2, 0, 0)  # 2x2 F32 at offset 0
    body += bytes(-len(body) % 32)
    return body + (struct.pack("<4f", 1, 2, 3, 4) if tensors else b"")


def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def pb(field, value):
    if isinstance(value, int):
        return varint(field << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(field << 3 | 2) + varint(len(value)) + value


def onnx(location=None, domain=None):
    node = pb(1, "x") + pb(2, "y") + pb(4, "Identity") + (pb(7, domain) if domain is not None else b"")
    tensor = pb(1, 4) + pb(2, 1) + pb(8, "w")
    if location is not None:
        tensor += pb(13, pb(1, "location") + pb(2, location)) + pb(14, 1)
    else:
        tensor += pb(9, struct.pack("<4f", 1, 2, 3, 4))
    graph = pb(1, node) + pb(2, "g") + pb(5, tensor)
    return pb(1, 8) + pb(2, "gen") + pb(7, graph) + pb(8, pb(2, 13))


def safetensors(header, data):
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


def write():
    emit("b08_keras3_dense.keras", keras_zip(model([DENSE])), "safe", "benign-keras")
    emit("m26_keras3_lambda.keras", keras_zip(model([DENSE, LAMBDA])), "unsafe", "keras-lambda", "Lambda")
    emit("m26b_keras3_module_ref.keras", keras_zip(model([FOREIGN])), "unsafe", "keras-module-reference", '"os"')
    emit("m26c_keras_config.json", json.dumps(model([LAMBDA])).encode(), "unsafe", "keras-config-lambda", "Lambda")
    emit("b17_keras2_dense.h5", fake_h5(model2([DENSE2])), "safe", "benign-keras-h5")
    emit("m27_keras2_lambda.h5", fake_h5(model2([DENSE2, LAMBDA2])), "unsafe", "keras-h5-lambda", "Lambda")
    emit("m27b_keras3_h5_module_ref.h5", fake_h5(model([FOREIGN])), "unsafe", "keras-h5-module-reference", '"os"')
    emit("u01_h5_without_config.h5", fake_h5(None), "unknown", "hdf5-not-analysed", "not analysed")
    chatml = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content']"
              " + '<|im_end|>\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")
    emit("b07_gguf_chatml.gguf", gguf(chatml), "safe", "benign-gguf")
    ssti = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
    emit("m28_gguf_ssti.gguf", gguf(ssti), "unsafe", "gguf-jinja-ssti", "__globals__")
    emit("m28b_gguf_attr_filter.gguf", gguf("{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}"), "unsafe",
         "gguf-jinja-obfuscated", "attr")
    emit("m53_gguf_count_bomb.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1 << 60) + bytes(64), "unsafe",
         "gguf-header-bomb", "exceed")
    emit("m53b_gguf_string_bomb.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1 << 62)
         + bytes(64), "unsafe", "gguf-header-bomb", "truncated")
    bad_offset = gguf(None)[:-16]  # tensor data cut off: the tensor points past the end
    emit("m53c_gguf_tensor_oob.gguf", bad_offset, "unsafe", "gguf-tensor-bounds", "beyond")
    emit("b12_onnx_identity.onnx", onnx(), "safe", "benign-onnx")
    emit("m29_onnx_external_traversal.onnx", onnx("../../../../etc/passwd"), "unsafe", "onnx-external-data",
         "outside the model directory")
    emit("m29b_onnx_external_absolute.onnx", onnx("/etc/shadow"), "unsafe", "onnx-external-data", "outside")
    emit("b12b_onnx_external_inside.onnx", onnx("weights.bin"), "safe", "benign-onnx-external")
    emit("u02_onnx_custom_domain.onnx", onnx(domain="com.evil.ops"), "unknown", "onnx-custom-domain", "com.evil.ops")
    good = {"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
            "b": {"dtype": "I64", "shape": [1], "data_offsets": [16, 24]}, "__metadata__": {"format": "pt"}}
    emit("b05_safetensors_small.safetensors", safetensors(good, bytes(24)), "safe", "benign-safetensors")
    emit("m30_safetensors_header_len.safetensors", struct.pack("<Q", 1 << 62) + b'{"a":1}', "unsafe",
         "safetensors-header-bomb", "header length")
    overlap = {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
               "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}
    emit("m31_safetensors_overlap.safetensors", safetensors(overlap, bytes(24)), "unsafe", "safetensors-overlap",
         "overlaps")
    oob = {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}
    emit("m31b_safetensors_oob.safetensors", safetensors(oob, bytes(8)), "unsafe", "safetensors-oob", "cover")
    shape = {"a": {"dtype": "F32", "shape": [1 << 62, 1 << 62], "data_offsets": [0, 16]}}
    emit("m31c_safetensors_shape_overflow.safetensors", safetensors(shape, bytes(16)), "unsafe",
         "safetensors-shape-overflow", "shape")
    newer = {"a": {"dtype": "F4_E2M1", "shape": [8], "data_offsets": [0, 4]}}
    emit("u06_safetensors_unknown_dtype.safetensors", safetensors(newer, bytes(4)), "unknown",
         "safetensors-unknown-dtype", "unknown to this scanner")
    emit("u03_random_binary.bin", bytes(range(1, 256)) * 4, "unknown", "unknown-format", "no supported model format")
    emit("u04_7z.pkl", b"7z\xbc\xaf\x27\x1c" + bytes(40), "unknown", "unsupported-compression", "7z")
    emit("u05_modeling_custom.py", b"import torch\n\nclass Model:\n    pass\n", "unknown", "python-source",
         "trust_remote_code")
