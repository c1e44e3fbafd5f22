from django.shortcuts import render

from .models import Idea, IdeaStatus


def home(request):
    ideas = (
        Idea.objects.filter(hidden_at__isnull=True)
        .exclude(status=IdeaStatus.DRAFT)
        .order_by("-published_at")[:20]
    )
    return render(request, "ideas/home.html", {"ideas": ideas})
