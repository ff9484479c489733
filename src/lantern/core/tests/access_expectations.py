from lantern.core.tests.matrix import ANYONE_SIGNED_IN, Expect

EXPECTATIONS = {
    "core:home": Expect(ANYONE_SIGNED_IN),
}
