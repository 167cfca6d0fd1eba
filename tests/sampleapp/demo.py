def generate(ctx) -> None:
    pass


def reset(district) -> None:
    pass
