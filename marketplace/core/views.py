from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from marketplace.centres.selectors import centres_staffed_by, staff_scope
from marketplace.core.health import run_health_checks
from marketplace.core.selectors import platform_overview
from marketplace.organisations.selectors import memberships_of, organisations_to_verify


def home(request):
    return render(request, "core/home.html", {"overview": platform_overview()})


@login_required
def workspace(request):
    scope = staff_scope(request.user)
    context = {
        "memberships": memberships_of(request.user),
        "staff_centres": centres_staffed_by(request.user),
        "is_staff": scope.is_staff,
        "pending_verifications": organisations_to_verify(request.user).filter(verified=False)[:10]
        if scope.is_staff
        else [],
    }
    return render(request, "core/workspace.html", context)


@never_cache
@require_GET
async def healthz(request):
    checks = await run_health_checks()
    down = sorted(name for name, check in checks.items() if not check["ok"])
    body = {"status": "ok" if not down else "down", "down": down, "checks": checks}
    return JsonResponse(body, status=200 if not down else 503)
