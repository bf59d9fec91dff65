"""
A minimal Wagtail site to measure against (see measure.py). It runs only in its
own venv, with its own settings: nothing in Notizie or its tests imports it.
"""
