"""The UMedPT network in PyTorch, block for block the app's tfjs model
(main/engine/model): same layers, same layer names (so weights map by name),
TensorFlow 'same' padding (extra pad at the bottom/right for strided convs),
GroupNorm(1), the x*sigmoid(2z) GELU, nearest 2x upsampling. Tensors are NCHW
here; weights are converted from/to the tfjs layouts (HWIO kernels) on I/O."""

import math
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

GELU_LINEAR = 2 * math.sqrt(2 / math.pi)
GELU_CUBIC = GELU_LINEAR * 0.044715
CLASSIFICATION_DROPOUT = 0.2
MAX_BOX_LOGIT = 8.0
DETECTION_CLASS_PRIOR = 0.01
PIXEL_EMBEDDING_WIDTH = 16
PIXEL_DECODER_CAP = 96
TOWER_DEPTH = 4


def gelu(x: torch.Tensor) -> torch.Tensor:
    return x * torch.sigmoid(x * (x * x * GELU_CUBIC + GELU_LINEAR))


def same_pad(x: torch.Tensor, k: int, s: int, value: float = 0.0) -> torch.Tensor:
    """TensorFlow 'same' padding: pad_total split with the extra pixel after."""
    h, w = x.shape[-2], x.shape[-1]
    pads = []
    for size in (w, h):
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        pads += [total // 2, total - total // 2]
    if not any(pads):
        return x
    return F.pad(x, pads, value=value)


class Conv(nn.Module):
    tf_kind = "conv"

    def __init__(self, name: str, cin: int, cout: int, k: int, stride: int = 1, bias: bool = False, depthwise: bool = False):
        super().__init__()
        self.tf_name, self.k, self.stride, self.depthwise = name, k, stride, depthwise
        groups = cin if depthwise else 1
        self.weight = nn.Parameter(torch.empty(cout, cin // groups, k, k))
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None
        self.groups = groups
        nn.init.kaiming_normal_(self.weight, nonlinearity="relu")

    def forward(self, x):
        if self.stride == 1 and self.k % 2 == 1:
            return F.conv2d(x, self.weight, self.bias, 1, self.k // 2, 1, self.groups)
        return F.conv2d(same_pad(x, self.k, self.stride), self.weight, self.bias, self.stride, 0, 1, self.groups)

    def tf_weights(self):
        kernel = "depthwise_kernel" if self.depthwise else "kernel"
        out = [(f"{self.tf_name}/{kernel}", self.weight, "dwconv" if self.depthwise else "conv")]
        if self.bias is not None:
            out.append((f"{self.tf_name}/bias", self.bias, "vector"))
        return out


class Dense(nn.Module):
    def __init__(self, name: str, cin: int, cout: int, bias: bool = True):
        super().__init__()
        self.tf_name = name
        self.weight = nn.Parameter(torch.empty(cout, cin))
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None
        nn.init.xavier_uniform_(self.weight)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def tf_weights(self):
        out = [(f"{self.tf_name}/kernel", self.weight, "dense")]
        if self.bias is not None:
            out.append((f"{self.tf_name}/bias", self.bias, "vector"))
        return out


class Norm(nn.Module):
    """GroupNorm with one group (per sample over C, H, W) or, scope 'channel',
    per pixel over channels (ConvNeXt); on vectors: over the features."""

    def __init__(self, name: str, channels: int, scope: str = "group", eps: float = 1e-5):
        super().__init__()
        self.tf_name, self.scope, self.eps, self.channels = name, scope, eps, channels
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        if x.dim() == 2:
            return F.layer_norm(x, (self.channels,), self.gamma, self.beta, self.eps)
        if self.scope == "channel":
            y = F.layer_norm(x.permute(0, 2, 3, 1), (self.channels,), self.gamma, self.beta, self.eps)
            return y.permute(0, 3, 1, 2)
        return F.group_norm(x, 1, self.gamma, self.beta, self.eps)

    def tf_weights(self):
        return [(f"{self.tf_name}/gamma", self.gamma, "vector"), (f"{self.tf_name}/beta", self.beta, "vector")]


class Ctx:
    """Layer names exactly as the app's BuildContext makes them: <prefix>_<part>_<n>,
    n counting every layer, weightless ones included."""

    def __init__(self, prefix: str, owner: nn.Module):
        self.prefix, self.owner, self.counter = prefix, owner, 0
        self.layers: List[nn.Module] = []

    def name(self, part: str) -> str:
        self.counter += 1
        return f"{self.prefix}_{part}_{self.counter}"

    def keep(self, layer):
        self.layers.append(layer)
        self.owner.add_module(layer.tf_name.replace("/", "_"), layer)
        return layer

    def conv(self, cin, cout, k, stride=1, bias=False, part="conv"):
        return self.keep(Conv(self.name(part), cin, cout, k, stride, bias))

    def dwconv(self, c, k):
        return self.keep(Conv(self.name("dwconv"), c, c, k, 1, True, depthwise=True))

    def norm(self, c, scope="group"):
        return self.keep(Norm(self.name("gn" if scope == "group" else "ln"), c, scope))

    def dense(self, cin, cout, bias=True, part="linear"):
        return self.keep(Dense(self.name(part), cin, cout, bias))

    def skip(self, part):
        """a weightless layer (gelu, relu, add, concat, up, pool): only its name counts"""
        self.name(part)


def upsample(x):
    return F.interpolate(x, scale_factor=2, mode="nearest")


class ConvNormGelu(nn.Module):
    def __init__(self, ctx: Ctx, cin, cout, k=3, stride=1):
        super().__init__()
        self.conv = ctx.conv(cin, cout, k, stride)
        self.norm = ctx.norm(cout)
        ctx.skip("gelu")

    def forward(self, x):
        return gelu(self.norm(self.conv(x)))


# ---------------------------------------------------------------- encoders

class SmallCnn(nn.Module):
    widths = [32, 48, 64, 96]

    def __init__(self):
        super().__init__()
        ctx = Ctx("enc", self)
        self.stem = ConvNormGelu(ctx, 3, 16, 3, 2)
        self.stages = nn.ModuleList()
        cin = 16
        for w in self.widths:
            down = ConvNormGelu(ctx, cin, w, 3, 2)
            inner = ConvNormGelu(ctx, w, w)
            conv = ctx.conv(w, w, 3)
            norm = ctx.norm(w)
            ctx.skip("add")
            ctx.skip("gelu")
            self.stages.append(nn.ModuleList([down, inner, conv, norm]))
            cin = w
        self.channels = list(self.widths)

    def forward(self, x):
        x = self.stem(x)
        out = []
        for down, inner, conv, norm in self.stages:
            x = down(x)
            x = gelu(x + norm(conv(inner(x))))
            out.append(x)
        return out


class ResNet(nn.Module):
    def __init__(self, depth: int):
        super().__init__()
        ctx = Ctx("enc", self)
        self.depth = depth
        self.stem_conv = ctx.conv(3, 64, 7, 2)
        self.stem_norm = ctx.norm(64)
        ctx.skip("relu")
        ctx.skip("maxpool")
        blocks = [2, 2, 2, 2] if depth == 18 else [3, 4, 6, 3]
        widths = [64, 128, 256, 512]
        self.stages = nn.ModuleList()
        cin = 64
        for stage, count in enumerate(blocks):
            width = widths[stage]
            stage_blocks = nn.ModuleList()
            for i in range(count):
                stride = 2 if i == 0 and stage > 0 else 1
                project = i == 0 and (stage > 0 or depth == 50)
                layers = nn.ModuleDict()
                if depth == 18:
                    layers["c1"], layers["n1"] = ctx.conv(cin, width, 3, stride), ctx.norm(width)
                    ctx.skip("relu")
                    layers["c2"], layers["n2"] = ctx.conv(width, width, 3), ctx.norm(width)
                    out = width
                else:
                    out = width * 4
                    layers["c1"], layers["n1"] = ctx.conv(cin, width, 1), ctx.norm(width)
                    ctx.skip("relu")
                    layers["c2"], layers["n2"] = ctx.conv(width, width, 3, stride), ctx.norm(width)
                    ctx.skip("relu")
                    layers["c3"], layers["n3"] = ctx.conv(width, out, 1), ctx.norm(out)
                if project:
                    layers["pc"], layers["pn"] = ctx.conv(cin, out, 1, stride), ctx.norm(out)
                ctx.skip("add")
                ctx.skip("relu")
                stage_blocks.append(layers)
                cin = out
            self.stages.append(stage_blocks)
        self.channels = widths if depth == 18 else [w * 4 for w in widths]

    def forward(self, x):
        x = F.relu(self.stem_norm(self.stem_conv(x)))
        x = F.max_pool2d(same_pad(x, 3, 2, float("-inf")), 3, 2)
        out = []
        for blocks in self.stages:
            for b in blocks:
                y = F.relu(b["n1"](b["c1"](x)))
                if self.depth == 18:
                    y = b["n2"](b["c2"](y))
                else:
                    y = F.relu(b["n2"](b["c2"](y)))
                    y = b["n3"](b["c3"](y))
                shortcut = b["pn"](b["pc"](x)) if "pc" in b else x
                x = F.relu(shortcut + y)
            out.append(x)
        return out


class ConvNextT(nn.Module):
    depths = [3, 3, 9, 3]
    dims = [96, 192, 384, 768]

    def __init__(self):
        super().__init__()
        ctx = Ctx("enc", self)
        self.stem = ctx.conv(3, 96, 4, 4, True, "stem")
        self.stem_norm = ctx.norm(96, "channel")
        self.stages = nn.ModuleList()
        cin = 96
        for stage, depth in enumerate(self.depths):
            dim = self.dims[stage]
            layers = nn.ModuleDict()
            if stage > 0:
                layers["down_norm"] = ctx.norm(cin, "channel")
                layers["down"] = ctx.conv(cin, dim, 2, 2, True, "down")
            for i in range(depth):
                layers[f"dw{i}"] = ctx.dwconv(dim, 7)
                layers[f"ln{i}"] = ctx.norm(dim, "channel")
                layers[f"pw1_{i}"] = ctx.conv(dim, dim * 4, 1, 1, True, "pw1")
                ctx.skip("gelu")
                layers[f"pw2_{i}"] = ctx.conv(dim * 4, dim, 1, 1, True, "pw2")
                ctx.skip("add")
            self.stages.append(layers)
            cin = dim
        self.channels = list(self.dims)

    def forward(self, x):
        x = self.stem_norm(self.stem(x))
        out = []
        for stage, depth in enumerate(self.depths):
            layers = self.stages[stage]
            if stage > 0:
                x = layers["down"](layers["down_norm"](x))
            for i in range(depth):
                y = layers[f"ln{i}"](layers[f"dw{i}"](x))
                y = layers[f"pw2_{i}"](gelu(layers[f"pw1_{i}"](y)))
                x = x + y
            out.append(x)
        return out


def create_encoder(name: str) -> nn.Module:
    if name == "small-cnn":
        return SmallCnn()
    if name == "resnet18":
        return ResNet(18)
    if name == "resnet50":
        return ResNet(50)
    if name == "convnext-t":
        return ConvNextT()
    raise ValueError(f"unknown encoder '{name}'; choose one of small-cnn, resnet18, resnet50, convnext-t")


# ---------------------------------------------------------------- shared parts

class Squeezer(nn.Module):
    def __init__(self, deepest: int, width: int):
        super().__init__()
        ctx = Ctx("sq", self)
        ctx.skip("gap")
        self.proj = ctx.dense(deepest, width, bias=False, part="proj")
        self.norm = ctx.norm(width)
        ctx.skip("gelu")

    def forward(self, x):
        return gelu(self.norm(self.proj(x.mean(dim=(2, 3)))))


class PixelDecoder(nn.Module):
    def __init__(self, channels: List[int]):
        super().__init__()
        ctx = Ctx("pix", self)
        cap = PIXEL_DECODER_CAP
        self.top = ConvNormGelu(ctx, channels[3], min(cap, channels[3]), 1)
        cin = min(cap, channels[3])
        self.ups = nn.ModuleList()
        for i in (2, 1, 0):
            ctx.skip("up")
            ctx.skip("concat")
            block = ConvNormGelu(ctx, cin + channels[i], min(cap, channels[i]))
            self.ups.append(block)
            cin = min(cap, channels[i])
        ctx.skip("up")
        self.stride2 = ConvNormGelu(ctx, cin, min(cap, 32))
        ctx.skip("up")
        ctx.skip("concat")
        self.full = ConvNormGelu(ctx, min(cap, 32) + 3, PIXEL_EMBEDDING_WIDTH)

    def forward(self, image, levels):
        x = self.top(levels[3])
        for block, i in zip(self.ups, (2, 1, 0)):
            x = block(torch.cat([upsample(x), levels[i]], 1))
        x = self.stride2(upsample(x))
        return self.full(torch.cat([upsample(x), image], 1))


def detection_strides(input_size: int) -> List[int]:
    return [s for s in (8, 16, 32, 64, 128) if s <= input_size / 2]


class DetectionDecoder(nn.Module):
    def __init__(self, input_size: int, channels: List[int], width: int):
        super().__init__()
        ctx = Ctx("det", self)
        self.strides = detection_strides(input_size)
        self.width = width
        self.laterals = nn.ModuleList([ctx.conv(channels[i], width, 1, 1, True, "lateral") for i in (1, 2, 3)])
        for _ in range(2):
            ctx.skip("up")
            ctx.skip("add")
        L = len(self.strides)
        self.outs = nn.ModuleList([ctx.conv(width, width, 3, 1, True, "fpn_out") for _ in range(min(L, 3))])
        self.p6 = ctx.conv(width, width, 3, 2, True, "p6") if L > 3 else None
        if L > 4:
            ctx.skip("gelu")
        self.p7 = ctx.conv(width, width, 3, 2, True, "p7") if L > 4 else None
        self.towers = nn.ModuleList()
        for _ in range(2):
            tower = nn.ModuleList()
            for _ in range(TOWER_DEPTH):
                conv = ctx.conv(width, width, 3, 1, False, "tower_conv")
                norm = ctx.keep(Norm(ctx.name("tower_gn"), width))
                ctx.skip("tower_gelu")
                tower.append(nn.ModuleList([conv, norm]))
            self.towers.append(tower)
        for tower in self.towers:
            for conv, _ in tower:
                nn.init.normal_(conv.weight, 0, 0.01)

    def forward(self, levels):
        lat = [conv(l) for conv, l in zip(self.laterals, levels)]
        top = [lat[2]]
        top.insert(0, lat[1] + upsample(top[0]))
        top.insert(0, lat[0] + upsample(top[0]))
        pyramid = [conv(x) for conv, x in zip(self.outs, top)]
        if self.p6 is not None:
            pyramid.append(self.p6(pyramid[2]))
        if self.p7 is not None:
            pyramid.append(self.p7(gelu(pyramid[3])))

        def run(tower, x):
            for conv, norm in tower:
                x = gelu(norm(conv(x)))
            return x

        return [run(self.towers[0], p) for p in pyramid], [run(self.towers[1], p) for p in pyramid]


def safe_name(name: str) -> str:
    return "".join(c if (c.isascii() and (c.isalnum() or c == "_")) else "_" for c in name)


class TaskHead(nn.Module):
    def __init__(self, spec: Dict, squeezer_width: int, detection_width: int):
        super().__init__()
        self.spec = spec
        ctx = Ctx(f"head_{safe_name(spec['name'])}", self)
        C = spec["numClasses"]
        kind = spec["kind"]
        if kind == "classification":
            ctx.skip("vector")
            self.linear = ctx.dense(squeezer_width, C)
        elif kind == "segmentation":
            ctx.skip("embedding")
            self.conv = ctx.conv(PIXEL_EMBEDDING_WIDTH, C, 3, 1, True)
        else:
            ctx.skip("cls_features")
            ctx.skip("reg_features")
            self.cls = ctx.conv(detection_width, C, 3, 1, True, "cls")
            self.box = ctx.conv(detection_width, 4, 3, 1, True, "box")
            self.ctr = ctx.conv(detection_width, 1, 3, 1, True, "centerness")
            for conv in (self.cls, self.box, self.ctr):
                nn.init.normal_(conv.weight, 0, 0.01)
            nn.init.constant_(self.cls.bias, -math.log((1 - DETECTION_CLASS_PRIOR) / DETECTION_CLASS_PRIOR))


class UmedptModel(nn.Module):
    """config: the resolved model config of the app (encoder, inputSize,
    squeezerWidth, detectionWidth, tasks, seed)."""

    def __init__(self, config: Dict):
        super().__init__()
        self.config = config
        S = config["inputSize"]
        if S % 32 or S < 32:
            raise ValueError(f"input size {S} is invalid: image sides must be a positive multiple of 32")
        self.encoder = create_encoder(config["encoder"])
        ch = self.encoder.channels
        kinds = {t["kind"] for t in config["tasks"]}
        self.squeezer = Squeezer(ch[3], config["squeezerWidth"])
        self.pixel_decoder = PixelDecoder(ch) if "segmentation" in kinds else None
        self.detection_decoder = DetectionDecoder(S, ch, config["detectionWidth"]) if "detection" in kinds else None
        self.heads = nn.ModuleDict()
        self.head_names: List[str] = []
        for spec in config["tasks"]:
            self.heads[f"h{len(self.head_names)}"] = TaskHead(spec, config["squeezerWidth"], config["detectionWidth"])
            self.head_names.append(spec["name"])

    def head(self, task: str) -> TaskHead:
        return self.heads[f"h{self.head_names.index(task)}"]

    def shared_components(self):
        parts = [("encoder", self.encoder), ("squeezer", self.squeezer)]
        if self.pixel_decoder is not None:
            parts.append(("pixelDecoder", self.pixel_decoder))
        if self.detection_decoder is not None:
            parts.append(("detectionDecoder", self.detection_decoder))
        return parts

    def shared_parameters_for(self, kind: str) -> List[nn.Parameter]:
        params = list(self.encoder.parameters())
        if kind == "classification":
            params += list(self.squeezer.parameters())
        if kind == "segmentation" and self.pixel_decoder is not None:
            params += list(self.pixel_decoder.parameters())
        if kind == "detection" and self.detection_decoder is not None:
            params += list(self.detection_decoder.parameters())
        return params

    def detection_levels(self):
        if self.detection_decoder is None:
            return []
        S = self.config["inputSize"]
        return [(s, -(-S // s)) for s in self.detection_decoder.strides]

    def embed(self, images: torch.Tensor) -> torch.Tensor:
        return self.squeezer(self.encoder(images)[3])

    def forward(self, task: str, images: torch.Tensor, dropout_mask: Optional[torch.Tensor] = None):
        """images NCHW (3 channels, normalised). dropout_mask: the classification
        dropout multiplier [B, squeezerWidth] (0 or 1/0.8) in training, else None."""
        head = self.head(task)
        kind = head.spec["kind"]
        levels = self.encoder(images)
        if kind == "classification":
            v = self.squeezer(levels[3])
            if dropout_mask is not None:
                v = v * dropout_mask
            return {"kind": kind, "logits": head.linear(F.relu(v))}
        if kind == "segmentation":
            return {"kind": kind, "logits": head.conv(self.pixel_decoder(images, levels))}
        cls_feats, reg_feats = self.detection_decoder(levels[1:])
        B = images.shape[0]
        C = head.spec["numClasses"]
        cls, box, ctr = [], [], []
        for (stride, _), cf, rf in zip(self.detection_levels(), cls_feats, reg_feats):
            cls.append(head.cls(cf).permute(0, 2, 3, 1).reshape(B, -1, C))
            b = torch.exp(torch.clamp(head.box(rf), max=MAX_BOX_LOGIT)) * stride
            box.append(b.permute(0, 2, 3, 1).reshape(B, -1, 4))
            ctr.append(head.ctr(rf).permute(0, 2, 3, 1).reshape(B, -1))
        return {"kind": kind, "classLogits": torch.cat(cls, 1), "boxDistances": torch.cat(box, 1), "centernessLogits": torch.cat(ctr, 1)}


# ---------------------------------------------------------------- tfjs layouts

def named_tf_weights(module: nn.Module) -> Dict[str, tuple]:
    """tfjs weight name -> (parameter, layout kind) for every layer of a part."""
    out = {}
    for m in module.modules():
        if hasattr(m, "tf_weights"):
            for name, param, kind in m.tf_weights():
                out[name] = (param, kind)
    return out


def to_tf_layout(t: torch.Tensor, kind: str) -> torch.Tensor:
    if kind == "conv":
        return t.permute(2, 3, 1, 0)  # [out,in,kh,kw] -> [kh,kw,in,out]
    if kind == "dwconv":
        return t.permute(2, 3, 0, 1)  # [c,1,kh,kw] -> [kh,kw,c,1]
    if kind == "dense":
        return t.t()
    return t


def from_tf_layout(values, shape: List[int], kind: str) -> torch.Tensor:
    t = torch.as_tensor(values, dtype=torch.float32).reshape(shape)
    if kind == "conv":
        return t.permute(3, 2, 0, 1).contiguous()
    if kind == "dwconv":
        return t.permute(2, 3, 0, 1).contiguous()
    if kind == "dense":
        return t.t().contiguous()
    return t
