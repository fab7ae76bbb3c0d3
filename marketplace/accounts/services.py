from marketplace.accounts.models import User


def user_create(*, email: str, password: str, display_name: str = "", phone: str = "") -> User:
    user = User(email=email.strip().lower(), display_name=display_name.strip(), phone=phone.strip())
    user.set_password(password)
    user.full_clean(exclude=["password", "username"])
    user.save()
    return user
