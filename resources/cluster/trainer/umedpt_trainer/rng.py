"""Seeded randomness identical to the app's (main/engine/model/seededRandom.ts
and main/engine/data/random.ts): sampling orders and augmentation choices are
the same integers in both engines, so a run can move between them exactly."""

M32 = 0xFFFFFFFF


def imul(a: int, b: int) -> int:
    return (a * b) & M32


def model_hash_seed(*parts: int) -> int:
    """hashSeed(...parts) of model/seededRandom.ts (splitmix-like)."""
    h = 0x9E3779B9
    for part in parts:
        h = imul(h ^ (int(part) & M32), 0x85EBCA6B)
        h ^= h >> 13
        h = imul(h, 0xC2B2AE35)
        h ^= h >> 16
    return h & M32


def data_hash_seed(x: int) -> int:
    """hashSeed(x) of data/random.ts (murmur3 finaliser)."""
    h = int(x) & M32
    h = imul(h ^ (h >> 16), 0x85EBCA6B)
    h = imul(h ^ (h >> 13), 0xC2B2AE35)
    return (h ^ (h >> 16)) & M32


class Mulberry32:
    """mulberry32; the state is one 32-bit word."""

    def __init__(self, state: int):
        self.state = int(state) & M32

    def next(self) -> float:
        self.state = (self.state + 0x6D2B79F5) & M32
        t = self.state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296.0


class ModelRandom(Mulberry32):
    """SeededRandom of model/seededRandom.ts (state = seed as given)."""

    def int(self, n: int) -> int:
        return int(self.next() * n)


class DataRandom(Mulberry32):
    """SeededRandom of data/random.ts (the seed is mixed once)."""

    def __init__(self, seed: int):
        super().__init__(data_hash_seed(int(seed)))

    def uniform(self, lo: float, hi: float) -> float:
        return lo + (hi - lo) * self.next()

    def int_between(self, lo: int, hi: int) -> int:
        return lo + int(self.next() * (hi - lo + 1))

    def chance(self, p: float) -> bool:
        return self.next() < p


def permutation(n: int, random: ModelRandom) -> list:
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = random.int(i + 1)
        order[i], order[j] = order[j], order[i]
    return order
