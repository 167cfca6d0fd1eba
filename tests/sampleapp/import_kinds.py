from civicloop.imports.spec import KindSpec
from civicloop.places.models import Place


class SampleSpec(KindSpec):
    kind = "sample_things"
    model = Place
