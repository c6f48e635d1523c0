from flask import Blueprint

bp = Blueprint("child", __name__)
