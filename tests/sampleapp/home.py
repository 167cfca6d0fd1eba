from django.utils.safestring import mark_safe


def panel(request):
    return mark_safe('<section id="sample-panel">sample panel</section>')


def nothing(request):
    return None  # nothing to show this person: left out
