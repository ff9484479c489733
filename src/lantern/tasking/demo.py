def generate(ctx):
    return "nothing yet"
